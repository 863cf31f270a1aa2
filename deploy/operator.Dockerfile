# The Spate operator image. Build from the repository root after `./mvnw -B package -pl operator -am`:
#   docker build -f deploy/operator.Dockerfile -t ghcr.io/spate-dev/spate-operator:0.1.0 .
FROM eclipse-temurin:17-jre
COPY operator/target/spate-operator-*-all.jar /opt/spate/spate-operator.jar
# non-root, as the Deployment's restricted securityContext requires
USER 65532:65532
ENTRYPOINT ["java", "-jar", "/opt/spate/spate-operator.jar"]
