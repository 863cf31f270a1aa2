# The Spark image drivers and executors run: official Spark 3.5.3 (Scala 2.12, JDK 17) plus the
# Spate job jar (the job, the offset committer, the driver plugin and the Kafka connector) and the
# object-store connectors a shared checkpoint needs. Build from the repository root after
# `./mvnw -B package -pl job -am`:
#   docker build -f deploy/spark.Dockerfile -t ghcr.io/spate-dev/spate-spark:0.1.0 .
FROM apache/spark:3.5.3-scala2.12-java17-ubuntu
USER root
# s3a:// checkpoints (Hadoop 3.3.4 is what Spark 3.5.3 ships)
ADD --chmod=644 https://repo1.maven.org/maven2/org/apache/hadoop/hadoop-aws/3.3.4/hadoop-aws-3.3.4.jar /opt/spark/jars/
ADD --chmod=644 https://repo1.maven.org/maven2/com/amazonaws/aws-java-sdk-bundle/1.12.262/aws-java-sdk-bundle-1.12.262.jar /opt/spark/jars/
# the path SparkConfKeys.BUNDLED_JAR points at
COPY --chmod=644 job/target/spate-job-*.jar /opt/spate/spate-job.jar
# uid 185 = the image's spark user; the driver pod runs as it (runAsNonRoot)
USER 185
