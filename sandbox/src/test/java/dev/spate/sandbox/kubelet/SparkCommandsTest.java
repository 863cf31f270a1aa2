package dev.spate.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SparkCommandsTest {

  @Test
  void driverOverridesGoBeforeThePrimaryResourceAndAfterThePodsOptions() {
    List<String> args =
        SparkCommands.driverSubmitArgs(
            List.of(
                "--properties-file",
                "/c/spark.properties",
                "--verbose",
                "--conf=spark.x=1",
                "--class",
                "Main",
                "local:///job.jar",
                "--app-arg",
                "v"),
            List.of("--master", "k8s://http://127.0.0.1:1"));
    assertThat(args)
        .containsExactly(
            "--conf",
            "spark.driver.bindAddress=127.0.0.1",
            "--deploy-mode",
            "client",
            "--properties-file",
            "/c/spark.properties",
            "--verbose",
            "--conf=spark.x=1",
            "--class",
            "Main",
            "--master",
            "k8s://http://127.0.0.1:1",
            "local:///job.jar",
            "--app-arg",
            "v");
    assertThat(SparkCommands.propertiesFileIndex(args)).isEqualTo(5);
    assertThatThrownBy(() -> SparkCommands.driverSubmitArgs(List.of("--class", "Main"), List.of()))
        .hasMessageContaining("primary resource");
  }

  @Test
  void driverOverridesPointSparkAtTheSandbox() {
    List<String> o =
        SparkCommands.driverOverrides("https://127.0.0.1:9", true, 100, 101, Path.of("/l"));
    assertThat(o)
        .containsSequence("--master", "k8s://https://127.0.0.1:9")
        .contains(
            "spark.driver.host=127.0.0.1",
            "spark.driver.port=100",
            "spark.driver.blockManager.port=101",
            "spark.blockManager.port=0",
            "spark.kubernetes.submitInDriver=false",
            "spark.local.dir=/l",
            "spark.kubernetes.trust.certificates=true");
    assertThat(SparkCommands.driverOverrides("http://127.0.0.1:9", false, 1, 2, Path.of("/l")))
        .doesNotContain("spark.kubernetes.trust.certificates=true");
  }

  @Test
  void executorCommandFollowsEntrypointSh() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SPARK_JAVA_OPT_10", "-Dten");
    env.put("SPARK_JAVA_OPT_2", "-Dtwo");
    env.put("SPARK_EXECUTOR_MEMORY", "512m");
    env.put("SPARK_DRIVER_URL", "spark://CoarseGrainedScheduler@127.0.0.1:7078");
    env.put("SPARK_EXECUTOR_ID", "3");
    env.put("SPARK_EXECUTOR_CORES", "1");
    env.put("SPARK_APPLICATION_ID", "spark-app");
    env.put("SPARK_EXECUTOR_POD_IP", "127.0.0.1");
    env.put("SPARK_RESOURCE_PROFILE_ID", "0");
    env.put("SPARK_EXECUTOR_POD_NAME", "p-exec-3");
    env.put("SPARK_CONF_DIR", "/pod/conf");
    List<String> cmd =
        SparkCommands.executorCommand(
            Path.of("/jdk/bin/java"),
            env,
            Path.of("/sh"),
            List.of("-XX:+UseSerialGC"),
            Path.of("/lib"));
    assertThat(cmd)
        .containsExactly(
            "/jdk/bin/java",
            "-XX:+UseSerialGC",
            "-Dtwo",
            "-Dten",
            "-Xmx512m",
            "-cp",
            "/pod/conf:/sh/jars/*:/lib",
            ParentWatch.class.getName(),
            SparkCommands.EXECUTOR_BACKEND,
            "--driver-url",
            "spark://CoarseGrainedScheduler@127.0.0.1:7078",
            "--executor-id",
            "3",
            "--cores",
            "1",
            "--app-id",
            "spark-app",
            "--hostname",
            "127.0.0.1",
            "--resourceProfileId",
            "0",
            "--podName",
            "p-exec-3");
    // spark.executor.extraClassPath arrives as SPARK_CLASSPATH: before the image's jars
    env.put("SPARK_CLASSPATH", "/opt/spate/spate-job.jar");
    env.put("SPARK_EXTRA_CLASSPATH", "/extra/*");
    assertThat(
            SparkCommands.executorCommand(
                Path.of("/jdk/bin/java"), env, Path.of("/sh"), List.of(), Path.of("/lib")))
        .contains("/pod/conf:/opt/spate/spate-job.jar:/sh/jars/*:/extra/*:/lib");
    env.remove("SPARK_DRIVER_URL");
    assertThatThrownBy(
            () ->
                SparkCommands.executorCommand(
                    Path.of("java"), env, Path.of("/sh"), List.of(), Path.of("/lib")))
        .hasMessageContaining("SPARK_DRIVER_URL");
  }

  @Test
  void launcherOutputAndParentWatch() {
    byte[] out =
        "\0\n/jdk/bin/java\0-cp\0/sh/conf/:/sh/jars/*\0-Xmx1g\0org.apache.spark.deploy.SparkSubmit\0--class\0M\0x.jar\0\0"
            .getBytes(StandardCharsets.UTF_8);
    SparkCommands.LauncherOutput parsed = SparkCommands.parseLauncherOutput(out);
    assertThat(parsed.command())
        .containsExactly(
            "/jdk/bin/java",
            "-cp",
            "/sh/conf/:/sh/jars/*",
            "-Xmx1g",
            SparkCommands.SPARK_SUBMIT,
            "--class",
            "M",
            "x.jar");
    assertThat(
            SparkCommands.withParentWatch(
                parsed.command(), SparkCommands.SPARK_SUBMIT, Path.of("/lib")))
        .containsExactly(
            "/jdk/bin/java",
            "-cp",
            "/sh/conf/:/sh/jars/*:/lib",
            "-Xmx1g",
            ParentWatch.class.getName(),
            SparkCommands.SPARK_SUBMIT,
            "--class",
            "M",
            "x.jar");
    SparkCommands.LauncherOutput withEnv =
        SparkCommands.parseLauncherOutput(
            "env\0LD_LIBRARY_PATH=/x\0/jdk/bin/java\0-cp\0a\0Main\0"
                .getBytes(StandardCharsets.UTF_8));
    assertThat(withEnv.env()).containsEntry("LD_LIBRARY_PATH", "/x");
    assertThatThrownBy(
            () -> SparkCommands.parseLauncherOutput("oops".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("no java command");
  }
}
