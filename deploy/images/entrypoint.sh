#!/bin/bash
# Entrypoint of the Spark stand-in image (deploy/images/spark-standin.Dockerfile). Written for
# Spate; it follows the contract of the official Spark image's /opt/entrypoint.sh (Spark 3.5,
# resource-managers/kubernetes/docker/src/main/dockerfiles/spark/entrypoint.sh) as Spark's
# Kubernetes backend and the Spate operator rely on it:
#   driver <spark-submit args>   spark-submit --deploy-mode client, bound to
#                                $SPARK_DRIVER_BIND_ADDRESS (the pod IP)
#   executor                     KubernetesExecutorBackend from the SPARK_EXECUTOR_* / SPARK_DRIVER_URL
#                                / SPARK_APPLICATION_ID variables Spark sets on executor pods
#   anything else                run as given
# Every mode runs under tini (signals reach the JVM, zombies are reaped). A uid without a passwd
# entry (OpenShift-style random uids) gets one through nss_wrapper: Hadoop's login needs a user name.
set -eo pipefail

java_bin="${JAVA_HOME:-/usr}/bin/java"

if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
  nss_lib=$(ls /usr/lib/*/libnss_wrapper.so 2>/dev/null | head -1 || true)
  if [ -n "$nss_lib" ]; then
    NSS_WRAPPER_PASSWD=$(mktemp)
    printf '%s:x:%s:%s:anonymous uid:%s:/bin/false\n' "$(id -u)" "$(id -u)" "$(id -g)" "$SPARK_HOME" >"$NSS_WRAPPER_PASSWD"
    export NSS_WRAPPER_PASSWD NSS_WRAPPER_GROUP=/etc/group LD_PRELOAD="$nss_lib"
  fi
fi

# class path: conf dir first (SPARK_CONF_DIR, else $SPARK_HOME/conf), Hadoop conf, the jars, extras
classpath="${SPARK_CLASSPATH:+$SPARK_CLASSPATH:}$SPARK_HOME/jars/*"
if [ -n "${HADOOP_CONF_DIR+x}" ]; then classpath="$HADOOP_CONF_DIR:$classpath"; fi
if [ -n "${SPARK_CONF_DIR+x}" ]; then
  classpath="$SPARK_CONF_DIR:$classpath"
else
  classpath="$SPARK_HOME/conf:$classpath"
fi
if [ -n "${SPARK_EXTRA_CLASSPATH:-}" ]; then classpath="$classpath:$SPARK_EXTRA_CLASSPATH"; fi

# SPARK_JAVA_OPT_0, _1, ... in numeric order (Spark puts spark.executor.extraJavaOptions there)
executor_java_opts=()
while IFS= read -r name; do
  executor_java_opts+=("${!name}")
done < <(env | sed -n 's/^\(SPARK_JAVA_OPT_[0-9]*\)=.*/\1/p' | sort -t_ -k4 -n)

# spark-submit as bin/spark-class runs it: Spark's launcher prints the java command as
# NUL-terminated tokens after a "\0\n" marker (text before the marker is a message for the user);
# the last token added here is the launcher's exit status.
spark_submit() {
  local tokens=() token started=false
  while IFS= read -r -d '' token; do
    if [ "$started" = false ]; then
      [ -n "$token" ] && printf '%s\n' "$token" >&2
      started=true
      continue
    fi
    tokens+=("${token#$'\n'}")
  done < <("$java_bin" -Xmx128m ${SPARK_LAUNCHER_OPTS:-} -cp "$SPARK_HOME/jars/*" \
             org.apache.spark.launcher.Main org.apache.spark.deploy.SparkSubmit "$@"; printf '%d\0' $?)
  local status=${tokens[-1]}
  unset 'tokens[-1]'
  if [ "$status" != 0 ] || [ ${#tokens[@]} -eq 0 ]; then
    echo "entrypoint: Spark's launcher failed (exit $status)" >&2
    exit "${status/#0/1}"
  fi
  exec /usr/bin/tini -s -- "${tokens[@]}"
}

case "${1:-}" in
  driver)
    shift
    spark_submit \
      --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=${SPARK_DRIVER_BIND_ADDRESS}" \
      --deploy-mode client "$@"
    ;;
  executor)
    shift
    exec /usr/bin/tini -s -- "$java_bin" "${executor_java_opts[@]}" \
      -Xms"$SPARK_EXECUTOR_MEMORY" -Xmx"$SPARK_EXECUTOR_MEMORY" \
      -cp "$classpath" org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "$SPARK_DRIVER_URL" --executor-id "$SPARK_EXECUTOR_ID" \
      --cores "$SPARK_EXECUTOR_CORES" --app-id "$SPARK_APPLICATION_ID" \
      --hostname "$SPARK_EXECUTOR_POD_IP" --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID:-0}" \
      --podName "$SPARK_EXECUTOR_POD_NAME"
    ;;
  *)
    exec /usr/bin/tini -s -- "$@"
    ;;
esac
