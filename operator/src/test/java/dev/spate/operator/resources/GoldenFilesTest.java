package dev.spate.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.spark.JobPlan;
import dev.spate.operator.spark.SparkProperties;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The driver Pod and the Spark properties of a few specs, compared with reviewed golden files in
 * {@code src/test/resources/golden}. After an intended change, regenerate with {@code
 * -Dspate.golden.update=true} and review the diff.
 */
class GoldenFilesTest {

  private static final Path GOLDEN = Path.of("src/test/resources/golden");
  private static final OperatorConfig CONFIG =
      OperatorConfig.defaults().withDefaultImage("ghcr.io/spate-dev/spate-spark:0.1.0");

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full", "byo-app"})
  void driverPodMatchesGoldenFile(String job) throws IOException {
    JobPlan plan = JobPlan.of(TestJobs.load(job), CONFIG, 3);
    assertGolden(job + ".driver-pod.yaml", Serialization.asYaml(DriverPod.build(plan)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full", "byo-app"})
  void sparkPropertiesMatchGoldenFile(String job) throws IOException {
    JobPlan plan = JobPlan.of(TestJobs.load(job), CONFIG, 3);
    String properties = SparkConfConfigMap.build(plan).getData().get(SparkProperties.CONF_FILE);
    assertGolden(job + ".spark.properties", properties);
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full", "byo-app"})
  void executorPodTemplateMatchesGoldenFile(String job) throws IOException {
    JobPlan plan = JobPlan.of(TestJobs.load(job), CONFIG, 3);
    String template = SparkConfConfigMap.build(plan).getData().get(ExecutorPodTemplate.FILE);
    assertGolden(job + ".executor-pod-template.yaml", template);
  }

  @ParameterizedTest
  @ValueSource(strings = {"minimal", "full", "byo-app"})
  void serviceMatchesGoldenFile(String job) throws IOException {
    JobPlan plan = JobPlan.of(TestJobs.load(job), CONFIG, 3);
    assertGolden(job + ".driver-service.yaml", Serialization.asYaml(DriverService.build(plan)));
  }

  static void assertGolden(String file, String actual) throws IOException {
    Path path = GOLDEN.resolve(file);
    if (Boolean.getBoolean("spate.golden.update")) {
      Files.createDirectories(GOLDEN);
      Files.writeString(path, actual, StandardCharsets.UTF_8);
    }
    assertThat(path).as("golden file %s (generate with -Dspate.golden.update=true)", path).exists();
    assertThat(actual).isEqualTo(Files.readString(path, StandardCharsets.UTF_8));
  }
}
