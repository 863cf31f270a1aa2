package dev.spate.operator.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.spate.api.v1alpha1.ExecutorSpec;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.api.v1alpha1.TriggerSpec;
import dev.spate.operator.recovery.SpecChange.Effect;
import dev.spate.operator.recovery.SpecChange.FieldChange;
import dev.spate.operator.recovery.SpecChange.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecChangesTest {

  private static final ObjectMapper MAPPER = LastAppliedSpec.MAPPER;

  /** One edit per spec field of the full spec: new value (JSON), expected outcome, changed path. */
  private record Edit(String json, Outcome outcome, String changedPath) {}

  private static final Map<String, Edit> EDITS = edits();

  private static Map<String, Edit> edits() {
    Map<String, Edit> e = new LinkedHashMap<>();
    e.put("image", edit("\"registry.example.com/spate-spark:3.5.3-2\"", Outcome.RESTART));
    e.put("application.mainClass", edit("\"dev.example.Query2\"", Outcome.RESTART));
    e.put("application.jar", edit("\"local:///opt/app/query-2.jar\"", Outcome.RESTART));
    e.put("application.args", edit("[\"--mode\",\"lenient\"]", Outcome.RESTART));
    e.put("aggregation.keyField", edit("\"dest\"", Outcome.INCOMPATIBLE));
    e.put("aggregation.valueField", edit("\"arr_delay\"", Outcome.INCOMPATIBLE));
    e.put("aggregation.eventTimeField", edit("\"dep_time\"", Outcome.INCOMPATIBLE));
    e.put("aggregation.eventTimeFormat", edit("\"yyyy/MM/dd\"", Outcome.RESTART));
    e.put("aggregation.stateTimeout", edit("\"2h\"", Outcome.RESTART));
    e.put("kafka.bootstrapServers", edit("\"kafka-new:9093\"", Outcome.RESTART));
    e.put("kafka.inputTopics", edit("[\"flights\"]", Outcome.INCOMPATIBLE));
    e.put("kafka.outputTopic", edit("\"flights-per-origin-v2\"", Outcome.RESTART));
    e.put("kafka.deadLetterTopic", edit("\"flights-dlq-2\"", Outcome.RESTART));
    e.put("kafka.consumerGroup", edit("\"airline-flights-2\"", Outcome.RESTART));
    e.put("kafka.startingOffsets", edit("\"earliest\"", Outcome.RESTART));
    e.put("kafka.maxOffsetsPerTrigger", edit("100000", Outcome.RESTART));
    e.put("kafka.clientConfigSecretRef.name", edit("\"kafka-client-2\"", Outcome.RESTART));
    e.put("kafka.clientConfigSecretRef.key", edit("\"client.properties\"", Outcome.RESTART));
    e.put("trigger.processingTime", edit("\"1m\"", Outcome.RESTART));
    e.put("checkpoint.location", edit("\"file:///checkpoints/flights-v2\"", Outcome.RESTART));
    e.put("checkpoint.volume.claimName", edit("\"spate-checkpoints-2\"", Outcome.RESTART));
    e.put("checkpoint.volume.mountPath", edit("\"/ckpt\"", Outcome.RESTART));
    e.put("checkpoint.credentialsSecretRef.name", edit("\"s3-credentials-2\"", Outcome.RESTART));
    e.put(
        "checkpoint.credentialsSecretRef.accessKeyIdKey",
        edit("\"AWS_ACCESS_KEY_ID\"", Outcome.RESTART));
    e.put(
        "checkpoint.credentialsSecretRef.secretAccessKeyKey",
        edit("\"AWS_SECRET_ACCESS_KEY\"", Outcome.RESTART));
    e.put("driver.cores", edit("4", Outcome.RESTART));
    e.put("driver.memory", edit("\"8g\"", Outcome.RESTART));
    e.put("driver.serviceAccountName", edit("\"spark-other\"", Outcome.RESTART));
    e.put("driver.imagePullSecrets", edit("[{\"name\":\"other-pull\"}]", Outcome.RESTART));
    e.put(
        "driver.nodeSelector",
        new Edit("{\"pool\":\"batch\"}", Outcome.RESTART, "driver.nodeSelector[pool]"));
    e.put(
        "driver.tolerations",
        edit("[{\"key\":\"spot\",\"operator\":\"Exists\"}]", Outcome.RESTART));
    e.put("driver.affinity", edit("{}", Outcome.RESTART));
    e.put("driver.priorityClassName", edit("\"batch\"", Outcome.RESTART));
    e.put(
        "driver.labels", new Edit("{\"team\":\"cargo\"}", Outcome.RESTART, "driver.labels[team]"));
    e.put(
        "driver.annotations",
        new Edit(
            "{\"example.com/owner\":\"cargo\"}",
            Outcome.RESTART,
            "driver.annotations[example.com/owner]"));
    e.put("driver.env", edit("[{\"name\":\"TZ\",\"value\":\"UTC\"}]", Outcome.RESTART));
    e.put("executor.cores", edit("4", Outcome.RESTART));
    e.put("executor.memory", edit("\"6g\"", Outcome.RESTART));
    e.put("executor.minExecutors", edit("1", Outcome.LIVE));
    e.put("executor.maxExecutors", edit("12", Outcome.LIVE));
    e.put("executor.imagePullSecrets", edit("[{\"name\":\"other-pull\"}]", Outcome.RESTART));
    e.put(
        "executor.nodeSelector",
        new Edit("{\"pool\":\"batch\"}", Outcome.RESTART, "executor.nodeSelector[pool]"));
    e.put(
        "executor.tolerations",
        edit("[{\"key\":\"spot\",\"operator\":\"Exists\"}]", Outcome.RESTART));
    e.put("executor.affinity", edit("{}", Outcome.RESTART));
    e.put("executor.priorityClassName", edit("\"batch\"", Outcome.RESTART));
    e.put(
        "executor.labels",
        new Edit("{\"team\":\"cargo\"}", Outcome.RESTART, "executor.labels[team]"));
    e.put(
        "executor.annotations",
        new Edit(
            "{\"example.com/owner\":\"cargo\"}",
            Outcome.RESTART,
            "executor.annotations[example.com/owner]"));
    e.put("restartPolicy.type", edit("\"Always\"", Outcome.LIVE));
    e.put("restartPolicy.maxRestarts", edit("20", Outcome.LIVE));
    e.put("restartPolicy.backoff.initial", edit("\"1s\"", Outcome.LIVE));
    e.put("restartPolicy.backoff.max", edit("\"10m\"", Outcome.LIVE));
    e.put("restartPolicy.backoff.multiplier", edit("1.5", Outcome.LIVE));
    e.put("restartPolicy.resetAfter", edit("\"30m\"", Outcome.LIVE));
    e.put(
        "sparkConf",
        new Edit(
            "{\"spark.sql.adaptive.enabled\":\"true\",\"spark.driver.memoryOverheadFactor\":\"0.2\"}",
            Outcome.RESTART,
            "sparkConf[spark.sql.adaptive.enabled]"));
    e.put("suspend", edit("true", Outcome.SUSPEND));
    e.put("restartNonce", edit("4", Outcome.RESTART));
    return e;
  }

  private static Edit edit(String json, Outcome outcome) {
    return new Edit(json, outcome, null);
  }

  /** Every leaf field of the spec's Java classes, as the classifier names it. */
  private static Set<String> specFields() {
    Set<String> out = new LinkedHashSet<>();
    collect(MAPPER.constructType(StreamingJobSpec.class), "", out);
    return out;
  }

  private static void collect(JavaType type, String prefix, Set<String> out) {
    BeanDescription bean = MAPPER.getSerializationConfig().introspect(type);
    for (BeanPropertyDefinition property : bean.findProperties()) {
      String path = prefix.isEmpty() ? property.getName() : prefix + "." + property.getName();
      Class<?> raw = property.getPrimaryType().getRawClass();
      boolean apiObject =
          raw.getPackageName().equals(StreamingJobSpec.class.getPackageName()) && !raw.isEnum();
      if (apiObject) {
        collect(property.getPrimaryType(), path, out);
      } else {
        out.add(path);
      }
    }
  }

  /** Leaf paths present in a Jackson tree ({@code sparkConf} and lists are leaves). */
  private static Set<String> treeFields(JsonNode node, String prefix, Set<String> out) {
    node.properties()
        .forEach(
            f -> {
              String path = prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey();
              if (f.getValue().isObject() && !SpecChanges.classifiedPaths().contains(path)) {
                treeFields(f.getValue(), path, out);
              } else {
                out.add(path);
              }
            });
    return out;
  }

  /**
   * The spec with fields replaced: {@code pathsAndValues} alternates a dotted path ({@code
   * executor.memory}) and the field's new value as JSON ({@code "\"6g\""}), applied in order.
   */
  private static StreamingJobSpec with(StreamingJobSpec spec, String... pathsAndValues) {
    if (pathsAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("paths and values come in pairs");
    }
    ObjectNode tree = MAPPER.valueToTree(spec);
    for (int p = 0; p < pathsAndValues.length; p += 2) {
      String path = pathsAndValues[p];
      String json = pathsAndValues[p + 1];
      String[] parts = path.split("\\.");
      ObjectNode parent = tree;
      for (int i = 0; i < parts.length - 1; i++) {
        parent =
            parent.has(parts[i]) ? (ObjectNode) parent.get(parts[i]) : parent.putObject(parts[i]);
      }
      try {
        parent.set(parts[parts.length - 1], MAPPER.readTree(json));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(path + " = " + json, e);
      }
    }
    try {
      return MAPPER.treeToValue(tree, StreamingJobSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(String.join(", ", pathsAndValues), e);
    }
  }

  @Test
  void everySpecFieldHasAClassification() {
    assertThat(SpecChanges.classifiedPaths())
        .as("a field of StreamingJobSpec without a rule in SpecChanges.RULES (or a stale rule)")
        .containsExactlyInAnyOrderElementsOf(specFields());
  }

  @Test
  void everySpecFieldHasAnEditInThisTestAndTheFullSpecSetsIt() {
    assertThat(EDITS.keySet()).containsExactlyInAnyOrderElementsOf(specFields());
    assertThat(treeFields(MAPPER.valueToTree(Specs.full()), "", new LinkedHashSet<>()))
        .as("full-spec.yaml must set every field")
        .containsExactlyInAnyOrderElementsOf(specFields());
  }

  static Stream<Arguments> editOfEachField() {
    return EDITS.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("editOfEachField")
  void eachFieldAloneIsClassified(String path, Edit edit) {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired = with(applied, path, edit.json());

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(edit.outcome());
    assertThat(change.paths())
        .containsExactly(edit.changedPath() == null ? path : edit.changedPath());
    assertThat(change.freshCheckpoint()).isEqualTo(path.equals("checkpoint.location"));
  }

  @Test
  void sameSpecIsNoChange() {
    SpecChange change = SpecChanges.classify(Specs.full(), Specs.full());

    assertThat(change).isEqualTo(new SpecChange(Outcome.NONE, false, List.of()));
    assertThat(change.message()).isEqualTo("no change that matters");
    assertThat(change.stopsDriver()).isFalse();
  }

  static Stream<Arguments> equivalentSpellings() {
    return Stream.of(
        Arguments.of("trigger.processingTime", "\"10s\""),
        Arguments.of("executor.memory", "\"2048m\""),
        Arguments.of("executor.memory", "\"2Gi\""),
        Arguments.of("driver.memory", "\"1024m\""),
        Arguments.of("driver.cores", "1"),
        Arguments.of("executor.maxExecutors", "16"),
        Arguments.of("aggregation.stateTimeout", "\"30m\""),
        Arguments.of("kafka.startingOffsets", "\"earliest\""),
        Arguments.of("kafka.maxOffsetsPerTrigger", "1000000"),
        Arguments.of("restartPolicy.type", "\"Always\""),
        Arguments.of("restartPolicy.backoff.multiplier", "2"),
        Arguments.of("restartPolicy.resetAfter", "\"600s\""),
        Arguments.of("restartPolicy.backoff.initial", "\"10000ms\""),
        Arguments.of("suspend", "false"),
        Arguments.of("restartNonce", "0"),
        Arguments.of("sparkConf", "{}"),
        Arguments.of("application", "{}"),
        Arguments.of("kafka.inputTopics", "[\"clicks\"]"));
  }

  @ParameterizedTest(name = "absent = {0}: {1}")
  @MethodSource("equivalentSpellings")
  void writingOutADefaultIsNoChange(String path, String json) {
    StreamingJobSpec minimal = Specs.minimal();

    SpecChange change = SpecChanges.classify(minimal, with(minimal, path, json));

    assertThat(change.outcome()).isEqualTo(Outcome.NONE);
    assertThat(change.paths()).isEmpty();
  }

  @Test
  void reorderedInputTopicsAreNoChangeButAnAddedTopicIsIncompatible() {
    StreamingJobSpec applied = Specs.full();

    assertThat(
            SpecChanges.classify(
                    applied, with(applied, "kafka.inputTopics", "[\"flights-late\",\"flights\"]"))
                .outcome())
        .isEqualTo(Outcome.NONE);
    assertThat(
            SpecChanges.classify(
                    applied,
                    with(applied, "kafka.inputTopics", "[\"flights\",\"flights-late\",\"more\"]"))
                .outcome())
        .isEqualTo(Outcome.INCOMPATIBLE);
  }

  @Test
  void incompatibleChangeSaysWhatToDoAndKeepsTheJobRunning() {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired =
        with(applied, "kafka.inputTopics", "[\"other\"]", "executor.memory", "\"6g\"");

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(Outcome.INCOMPATIBLE);
    assertThat(change.stopsDriver()).isFalse();
    assertThat(change.message())
        .isEqualTo(
            "incompatible with the checkpoint: kafka.inputTopics"
                + " changed; set a new checkpoint.location to start over on a new checkpoint, or revert"
                + " the change. The running job keeps running the last applied spec.");
  }

  @Test
  void incompatibleChangeWithANewCheckpointLocationRestartsOnAFreshCheckpoint() {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired =
        with(
            applied,
            "aggregation.keyField",
            "\"dest\"",
            "checkpoint.location",
            "\"file:///checkpoints/per-dest\"");

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(change.freshCheckpoint()).isTrue();
    assertThat(change.changes())
        .containsExactly(
            new FieldChange("aggregation.keyField", Effect.INCOMPATIBLE, null),
            new FieldChange("checkpoint.location", Effect.NEW_CHECKPOINT, null));
    assertThat(change.message())
        .isEqualTo(
            "restart on a new checkpoint (state starts empty, input"
                + " starts at kafka.startingOffsets): aggregation.keyField, checkpoint.location changed");
  }

  @Test
  void restartMessageListsTheFieldsInSpecOrder() {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired =
        with(
            applied,
            "sparkConf",
            "{\"spark.sql.adaptive.enabled\":\"true\"}",
            "executor.memory",
            "\"6g\"",
            "executor.maxExecutors",
            "3");

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(change.stopsDriver()).isTrue();
    assertThat(change.message())
        .isEqualTo(
            "restart from checkpoint: executor.memory,"
                + " executor.maxExecutors, sparkConf[spark.driver.memoryOverheadFactor],"
                + " sparkConf[spark.sql.adaptive.enabled] changed");
  }

  @Test
  void liveChangesAreAppliedWithoutARestart() {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired =
        with(applied, "executor.maxExecutors", "12", "restartPolicy.maxRestarts", "3");

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(Outcome.LIVE);
    assertThat(change.stopsDriver()).isFalse();
    assertThat(change.message())
        .isEqualTo("applied live: executor.maxExecutors, restartPolicy.maxRestarts changed");
  }

  @Test
  void startingOffsetsChangeSaysItAppliesToANewCheckpointOnly() {
    StreamingJobSpec applied = Specs.full();

    SpecChange change =
        SpecChanges.classify(applied, with(applied, "kafka.startingOffsets", "\"earliest\""));

    assertThat(change.message())
        .isEqualTo(
            "restart from checkpoint: kafka.startingOffsets changed"
                + " (kafka.startingOffsets: applies to a new checkpoint only)");
  }

  @Test
  void sparkConfPinnedByTheCheckpointIsFlagged() {
    StreamingJobSpec applied = Specs.minimal();
    StreamingJobSpec desired =
        with(
            applied,
            "sparkConf",
            "{\"spark.sql.streaming.stateStore.providerClass\":"
                + "\"org.apache.spark.sql.execution.streaming.state.RocksDBStateStoreProvider\"}");

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.outcome()).isEqualTo(Outcome.RESTART);
    assertThat(change.changes())
        .singleElement()
        .extracting(FieldChange::note)
        .asString()
        .contains("takes effect on a new checkpoint only");
  }

  @Test
  void suspendAndResumeAreTheirOwnOutcomesAndCarryOtherChanges() {
    StreamingJobSpec running = Specs.full();
    StreamingJobSpec suspended = with(running, "suspend", "true", "image", "\"img:2\"");

    SpecChange suspend = SpecChanges.classify(running, suspended);
    SpecChange resume = SpecChanges.classify(suspended, with(suspended, "suspend", "false"));

    assertThat(suspend.outcome()).isEqualTo(Outcome.SUSPEND);
    assertThat(suspend.stopsDriver()).isTrue();
    assertThat(suspend.message())
        .isEqualTo(
            "suspend: the driver stops, the checkpoint is kept; applied on resume: image changed");
    assertThat(resume.outcome()).isEqualTo(Outcome.RESUME);
    assertThat(resume.message()).isEqualTo("resume from checkpoint");
  }

  @Test
  void anIncompatibleEditIsRejectedWholeEvenWithSuspend() {
    StreamingJobSpec applied = Specs.full();
    StreamingJobSpec desired =
        with(applied, "suspend", "true", "aggregation.valueField", "\"arr_delay\"");

    assertThat(SpecChanges.classify(applied, desired).outcome()).isEqualTo(Outcome.INCOMPATIBLE);
  }

  @Test
  void absentObjectsCompareByTheirDefaults() {
    StreamingJobSpec applied = Specs.minimal();
    StreamingJobSpec desired = Specs.minimal();
    TriggerSpec trigger = new TriggerSpec();
    trigger.setProcessingTime("5s");
    desired.setTrigger(trigger);
    desired.setExecutor(new ExecutorSpec());

    SpecChange change = SpecChanges.classify(applied, desired);

    assertThat(change.changes())
        .containsExactly(new FieldChange("trigger.processingTime", Effect.RESTART, null));
  }

  @Test
  void nullSpecsAreRejected() {
    assertThatThrownBy(() -> SpecChanges.classify(null, Specs.minimal()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("applied");
  }

  @Test
  void everyEffectOfTheRuleTableIsExercised() {
    List<Effect> effects = new ArrayList<>();
    SpecChanges.RULES.values().forEach(r -> effects.add(r.effect()));
    assertThat(effects).contains(Effect.values());
  }
}
