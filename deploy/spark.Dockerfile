# The Spark image drivers and executors run: official Spark 3.5.3 (Scala 2.12, JDK 17) plus the
# Spate job jar (the job, the offset committer, the driver plugin and the Kafka connector) and the
# object-store connectors a shared checkpoint needs. Build with deploy/images/build (it fills
# deploy/target/object-store-jars/ from Maven Central; see deploy/README.md), or by hand from the
# repository root after `./mvnw -B package -pl job -am -DskipTests` and filling that directory:
#   docker build -f deploy/spark.Dockerfile -t ghcr.io/spate-dev/spate-spark:0.1.0 .
# BASE_IMAGE: an image that follows the official Spark image's contract (SPARK_HOME=/opt/spark,
# /opt/entrypoint.sh with driver/executor modes, user 185); deploy/images/build --standin passes a
# stand-in built from Maven's Spark jars for machines without a registry.
ARG BASE_IMAGE=apache/spark:3.5.3-scala2.12-java17-ubuntu
FROM ${BASE_IMAGE}
USER root
# s3a:// checkpoints: hadoop-aws 3.3.4 (the Hadoop Spark 3.5.3 ships) + aws-java-sdk-bundle
# 1.12.262; the directory may be empty (deploy/images/build --without-s3a)
COPY --chmod=644 deploy/target/object-store-jars/ /opt/spark/jars/
# the path the operator's bundled-job jar points at (SparkConfKeys.BUNDLED_JAR); for a
# bring-your-own application the operator puts this jar on the driver's and the executors' class
# path (spark.driver.extraClassPath, spark.executor.extraClassPath), so Spate's offset committer and
# driver plugin load in any application. It stays out of /opt/spark/jars so that other Spark
# programs in the image do not get Spate's Kafka connector forced onto their class path.
COPY --chmod=644 job/target/spate-job-*.jar /opt/spate/spate-job.jar
# uid 185 = the image's spark user; the driver pod runs as it (runAsNonRoot)
USER 185
