package dev.spate.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Pins the operator's side of docs/CONTRACT.md: every {@code spark.spate.*} key and control
 * ConfigMap key the contract lists is a constant of {@link SparkConfKeys} and the other way round,
 * and a full spec writes every key the contract marks as required plus every optional one it sets.
 */
class SparkConfContractTest {

  private static final Path CONTRACT = Path.of("../docs/CONTRACT.md");

  private static Set<String> contractKeys(String regex) throws IOException {
    Matcher m = Pattern.compile(regex).matcher(Files.readString(CONTRACT));
    Set<String> keys = new LinkedHashSet<>();
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  private static Set<String> constants() {
    return Arrays.stream(SparkConfKeys.class.getFields())
        .filter(f -> Modifier.isStatic(f.getModifiers()) && f.getType() == String.class)
        .map(SparkConfContractTest::value)
        .collect(Collectors.toSet());
  }

  private static String value(Field f) {
    try {
      return (String) f.get(null);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void everyContractKeyIsAConstantAndBack() throws IOException {
    Set<String> contract = contractKeys("\\| `(spark\\.spate\\.[A-Za-z.]+)` \\|");
    contract.addAll(contractKeys("`(spark\\.spate\\.control\\.configMap)`"));
    contract.addAll(contractKeys("`(spark\\.spate\\.attempt)`"));
    assertThat(contract).hasSizeGreaterThanOrEqualTo(16);
    Set<String> ours =
        constants().stream()
            .filter(k -> k.startsWith("spark.spate.") && !k.endsWith("."))
            .collect(Collectors.toSet());
    assertThat(ours).containsExactlyInAnyOrderElementsOf(contract);
  }

  @Test
  void controlConfigMapKeysMatch() throws IOException {
    Set<String> contract = contractKeys("\\| `([a-zA-Z]+)` \\| (?:operator|driver plugin) \\|");
    assertThat(contract)
        .containsExactlyInAnyOrder(
            SparkConfKeys.CONTROL_DESIRED_EXECUTORS,
            SparkConfKeys.CONTROL_APPLIED_EXECUTORS,
            SparkConfKeys.CONTROL_APPLIED_AT,
            SparkConfKeys.CONTROL_ATTEMPT);
  }

  @Test
  void listenerAndPluginClassesMatch() throws IOException {
    String contract = Files.readString(CONTRACT);
    assertThat(contract)
        .contains(SparkConfKeys.STREAMING_QUERY_LISTENERS + "=" + SparkConfKeys.OFFSET_COMMITTER)
        .contains(SparkConfKeys.PLUGINS + "=" + SparkConfKeys.EXECUTOR_SCALING_PLUGIN)
        .contains(
            SparkConfKeys.BUNDLED_MAIN_CLASS.substring(
                SparkConfKeys.BUNDLED_MAIN_CLASS.lastIndexOf('.') + 1));
  }

  @Test
  void fullSpecWritesEveryContractKey() throws IOException {
    SortedMap<String, String> conf =
        SparkProperties.of(JobPlan.of(TestJobs.load("full"), OperatorConfig.defaults(), 2));
    Set<String> contract = contractKeys("\\| `(spark\\.spate\\.[A-Za-z.]+)` \\|");
    assertThat(conf.keySet()).containsAll(contract);
  }

  @Test
  void minimalSpecWritesEveryRequiredKey() throws IOException {
    SortedMap<String, String> conf =
        SparkProperties.of(JobPlan.of(TestJobs.load("minimal"), OperatorConfig.defaults(), 2));
    Set<String> required = contractKeys("\\| `(spark\\.spate\\.[A-Za-z.]+)` \\| yes \\|");
    assertThat(required)
        .contains(SparkConfKeys.KAFKA_BOOTSTRAP_SERVERS, SparkConfKeys.CHECKPOINT_LOCATION);
    assertThat(conf.keySet()).containsAll(required);
    assertThat(conf)
        .containsEntry(SparkConfKeys.KAFKA_CONSUMER_GROUP, "spate.analytics.clicks-per-user")
        .containsEntry(SparkConfKeys.KAFKA_STARTING_OFFSETS, "earliest")
        .containsEntry(SparkConfKeys.TRIGGER_PROCESSING_TIME, "10s")
        .containsEntry(SparkConfKeys.STREAMING_QUERY_LISTENERS, SparkConfKeys.OFFSET_COMMITTER)
        .containsEntry(SparkConfKeys.PLUGINS, SparkConfKeys.EXECUTOR_SCALING_PLUGIN)
        .doesNotContainKey(SparkConfKeys.KAFKA_CLIENT_PROPERTIES_FILE);
  }
}
