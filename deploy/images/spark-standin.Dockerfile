# A stand-in for apache/spark:3.5.3-scala2.12-java17-ubuntu on machines that reach no registry:
# a Debian bookworm Java 17 base made with mmdebstrap (deploy/images/build --standin), the Spark
# 3.5.3 jars as Maven resolves them (spark-dist/target/spark-home/jars, with spark-kubernetes) and
# Spate's own /opt/entrypoint.sh following the official image's contract. Not a product image:
# deploy/spark.Dockerfile is built on top of it only for tests and the sandbox's container mode.
ARG BASE_IMAGE=localhost/spate-standin/debian-jre17:bookworm
FROM ${BASE_IMAGE}
ENV SPARK_HOME=/opt/spark \
    SPARK_SCALA_VERSION=2.12 \
    JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 \
    LANG=C.UTF-8
# user spark, uid/gid 185, and a group-writable work dir, as the official image has
RUN groupadd --system --gid 185 spark \
 && useradd --system --uid 185 --gid 185 --home-dir /opt/spark --no-create-home --shell /usr/sbin/nologin spark \
 && mkdir -p /opt/spark/work-dir /opt/spark/jars \
 && chmod g+w /opt/spark/work-dir \
 && chown spark:spark /opt/spark/work-dir
COPY --chmod=644 spark-dist/target/spark-home/jars/ /opt/spark/jars/
COPY --chmod=644 spark-dist/target/spark-home/RELEASE /opt/spark/RELEASE
COPY --chmod=755 deploy/images/entrypoint.sh /opt/entrypoint.sh
WORKDIR /opt/spark/work-dir
USER 185
ENTRYPOINT ["/opt/entrypoint.sh"]
