# The Spate operator image: the shaded operator jar on a Java 17 runtime, run as a non-root user
# with a read-only root filesystem (deploy/operator/deployment.yaml mounts an emptyDir at /tmp).
# Build from the repository root after `./mvnw -B package -pl operator -am -DskipTests`, best with
# deploy/images/build (see deploy/README.md), or by hand:
#   docker build -f deploy/operator.Dockerfile -t ghcr.io/spate-dev/spate-operator:0.1.0 .
# BASE_IMAGE: any image with `java` 17+ on PATH; deploy/images/build --standin passes a Debian
# base made locally for machines without a registry.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}
COPY --chmod=644 operator/target/spate-operator-*-all.jar /opt/spate/spate-operator.jar
# non-root, as the Deployment's restricted securityContext requires (uid 65532 has no passwd
# entry; the operator needs none)
USER 65532:65532
WORKDIR /tmp
# /healthz and /readyz on SPATE_HEALTH_PORT (operator/README.md)
ENTRYPOINT ["java", "-jar", "/opt/spate/spate-operator.jar"]
