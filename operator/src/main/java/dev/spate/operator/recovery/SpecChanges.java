package dev.spate.operator.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.spate.api.v1alpha1.Defaults;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import dev.spate.operator.decide.SparkMemory;
import dev.spate.operator.recovery.SpecChange.Effect;
import dev.spate.operator.recovery.SpecChange.FieldChange;
import dev.spate.operator.recovery.SpecChange.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Classifies an edit of a StreamingJob's spec: a pure function over the last applied spec and the
 * new one (compared as Jackson trees, field by field, absent fields read as their {@link
 * Defaults}).
 *
 * <p>Every field of the spec has a rule here; a test walks the API classes and fails on a field
 * without one, and at run time an unknown field counts as a restart (never silently ignored). Rules
 * follow Spark's "Recovery Semantics after Changes in a Streaming Query" (Structured Streaming
 * Programming Guide, 3.5):
 *
 * <ul>
 *   <li>Live: {@code executor.minExecutors/maxExecutors} (the scaling bounds) and all of {@code
 *       restartPolicy}: the operator reads them on each reconcile.
 *   <li>Restart from the checkpoint: {@code image}, {@code application.*} (a new application jar is
 *       a normal upgrade; Spark itself checks the query against the checkpoint), {@code sparkConf},
 *       driver and executor {@code cores}/{@code memory} and pod settings ({@code
 *       imagePullSecrets}, {@code nodeSelector}, {@code tolerations}, {@code affinity}, {@code
 *       priorityClassName}, {@code labels}, {@code annotations}), {@code
 *       driver.serviceAccountName}, {@code trigger}, {@code kafka.maxOffsetsPerTrigger} (Spark:
 *       rate limits may change), {@code kafka.outputTopic} (Spark: the Kafka sink's topic may
 *       change), {@code deadLetterTopic}, {@code consumerGroup} (the group the offset committer
 *       reports to, not where Spark reads from), {@code bootstrapServers} (the checkpoint's offsets
 *       must still fit the cluster), {@code clientConfigSecretRef}, {@code checkpoint.volume},
 *       {@code checkpoint.credentialsSecretRef}, {@code aggregation.stateTimeout}/{@code
 *       eventTimeFormat} (the state's shape is unchanged), {@code restartNonce}. {@code
 *       kafka.startingOffsets} applies to a new checkpoint only (Spark's option is ignored when a
 *       query resumes), said in a note.
 *   <li>Incompatible with the checkpoint: {@code kafka.inputTopics} as a set (Spark: changes to
 *       subscribed topics are not allowed; a reorder is no change), {@code aggregation.keyField},
 *       {@code valueField} and {@code eventTimeField} (the key and what the state aggregates). With
 *       a new {@code checkpoint.location} they become a restart on a new checkpoint.
 *   <li>{@code suspend}: its own outcome (suspend or resume). State parallelism ({@code
 *       spark.sql.shuffle.partitions}) is no spec field: the operator owns it and Spark pins it in
 *       the checkpoint.
 * </ul>
 *
 * <p>Precedence of the outcome: INCOMPATIBLE (the whole edit is rejected) &gt; SUSPEND/RESUME
 * (other changes ride along: they apply when the next driver starts) &gt; RESTART &gt; LIVE &gt;
 * NONE. Memory sizes compare by value through {@link SparkMemory#parseMib} ({@code 2g} = {@code
 * 2048m}), durations by value ({@code 60s} = {@code 1m}).
 */
public final class SpecChanges {

  /** How two values of a field are compared. */
  enum Compare {
    VALUE,
    MEMORY,
    DURATION,
    SET,
    MAP
  }

  /**
   * The rule of one field.
   *
   * @param effect what a change asks for
   * @param compare how values compare
   * @param absent what an absent value means (the default), or null when absent is its own value
   * @param note a caveat shown with the change, or null
   */
  record Rule(Effect effect, Compare compare, JsonNode absent, String note) {}

  /**
   * Spark SQL confs Spark stores in the checkpoint's offset log and restores on restart ({@code
   * OffsetSeqMetadata.relevantSQLConfs}): a new value in {@code sparkConf} only takes effect on a
   * new checkpoint.
   */
  static final Set<String> CHECKPOINT_PINNED_CONFS =
      Set.of(
          "spark.sql.shuffle.partitions",
          "spark.sql.streaming.stateStore.providerClass",
          "spark.sql.streaming.multipleWatermarkPolicy",
          "spark.sql.streaming.flatMapGroupsWithState.stateFormatVersion",
          "spark.sql.streaming.aggregation.stateFormatVersion",
          "spark.sql.streaming.join.stateFormatVersion",
          "spark.sql.streaming.stateStore.compression.codec",
          "spark.sql.streaming.stateStore.rocksdb.formatVersion",
          "spark.sql.streaming.statefulOperator.useStrictDistribution");

  private static final String PINNED_NOTE =
      "Spark keeps this conf from the checkpoint; the new value takes effect on a new checkpoint"
          + " only";

  /** Path of every leaf field (map and list fields are leaves) to its rule, in spec order. */
  static final Map<String, Rule> RULES = rules();

  private SpecChanges() {}

  private static Map<String, Rule> rules() {
    Map<String, Rule> r = new LinkedHashMap<>();
    r.put("image", restart());
    r.put("application.mainClass", restart());
    r.put("application.jar", restart());
    r.put("application.args", restart());
    r.put("aggregation.keyField", incompatible());
    r.put("aggregation.valueField", incompatible());
    r.put("aggregation.eventTimeField", incompatible());
    r.put("aggregation.eventTimeFormat", restart());
    r.put(
        "aggregation.stateTimeout",
        new Rule(Effect.RESTART, Compare.DURATION, text(Defaults.STATE_TIMEOUT), null));
    r.put("kafka.bootstrapServers", restart());
    r.put("kafka.inputTopics", new Rule(Effect.INCOMPATIBLE, Compare.SET, null, null));
    r.put("kafka.outputTopic", restart());
    r.put("kafka.deadLetterTopic", restart());
    r.put("kafka.consumerGroup", restart());
    r.put(
        "kafka.startingOffsets",
        new Rule(
            Effect.RESTART,
            Compare.VALUE,
            text(Defaults.STARTING_OFFSETS),
            "applies to a new checkpoint only"));
    r.put(
        "kafka.maxOffsetsPerTrigger",
        new Rule(
            Effect.RESTART,
            Compare.VALUE,
            LongNode.valueOf(Defaults.MAX_OFFSETS_PER_TRIGGER),
            null));
    r.put("kafka.clientConfigSecretRef.name", restart());
    r.put(
        "kafka.clientConfigSecretRef.key",
        new Rule(Effect.RESTART, Compare.VALUE, text(Defaults.CLIENT_CONFIG_KEY), null));
    r.put(
        "trigger.processingTime",
        new Rule(Effect.RESTART, Compare.DURATION, text(Defaults.TRIGGER_PROCESSING_TIME), null));
    r.put("checkpoint.location", new Rule(Effect.NEW_CHECKPOINT, Compare.VALUE, null, null));
    r.put("checkpoint.volume.claimName", restart());
    r.put("checkpoint.credentialsSecretRef.name", restart());
    r.put(
        "checkpoint.credentialsSecretRef.accessKeyIdKey",
        new Rule(Effect.RESTART, Compare.VALUE, text(Defaults.ACCESS_KEY_ID_KEY), null));
    r.put(
        "checkpoint.credentialsSecretRef.secretAccessKeyKey",
        new Rule(Effect.RESTART, Compare.VALUE, text(Defaults.SECRET_ACCESS_KEY_KEY), null));
    r.put(
        "checkpoint.volume.mountPath",
        new Rule(Effect.RESTART, Compare.VALUE, text(Defaults.CHECKPOINT_MOUNT_PATH), null));
    r.put(
        "driver.cores",
        new Rule(Effect.RESTART, Compare.VALUE, IntNode.valueOf(Defaults.DRIVER_CORES), null));
    r.put(
        "driver.memory",
        new Rule(Effect.RESTART, Compare.MEMORY, text(Defaults.DRIVER_MEMORY), null));
    r.put("driver.serviceAccountName", restart());
    podSettings(r, "driver");
    r.put(
        "executor.cores",
        new Rule(Effect.RESTART, Compare.VALUE, IntNode.valueOf(Defaults.EXECUTOR_CORES), null));
    r.put(
        "executor.memory",
        new Rule(Effect.RESTART, Compare.MEMORY, text(Defaults.EXECUTOR_MEMORY), null));
    r.put("executor.minExecutors", live(IntNode.valueOf(Defaults.MIN_EXECUTORS), Compare.VALUE));
    r.put("executor.maxExecutors", live(IntNode.valueOf(Defaults.MAX_EXECUTORS), Compare.VALUE));
    podSettings(r, "executor");
    r.put("restartPolicy.type", live(text(Defaults.RESTART_POLICY_TYPE), Compare.VALUE));
    r.put("restartPolicy.maxRestarts", live(IntNode.valueOf(Defaults.MAX_RESTARTS), Compare.VALUE));
    r.put("restartPolicy.backoff.initial", live(text(Defaults.BACKOFF_INITIAL), Compare.DURATION));
    r.put("restartPolicy.backoff.max", live(text(Defaults.BACKOFF_MAX), Compare.DURATION));
    r.put(
        "restartPolicy.backoff.multiplier",
        live(DoubleNode.valueOf(Defaults.BACKOFF_MULTIPLIER), Compare.VALUE));
    r.put("restartPolicy.resetAfter", live(text(Defaults.RESET_AFTER), Compare.DURATION));
    r.put("sparkConf", new Rule(Effect.RESTART, Compare.MAP, null, null));
    r.put(
        "suspend",
        new Rule(Effect.SUSPEND, Compare.VALUE, BooleanNode.valueOf(Defaults.SUSPEND), null));
    r.put(
        "restartNonce",
        new Rule(Effect.RESTART, Compare.VALUE, LongNode.valueOf(Defaults.RESTART_NONCE), null));
    return Collections.unmodifiableMap(r);
  }

  /**
   * The fields this classifier has a rule for, as dotted paths ({@code kafka.inputTopics}); map and
   * list fields are single paths ({@code sparkConf}).
   *
   * @return the paths, in spec order
   */
  public static Set<String> classifiedPaths() {
    return RULES.keySet();
  }

  /**
   * Classifies an edit.
   *
   * @param applied the spec the running driver was started from ({@link LastAppliedSpec})
   * @param desired the spec now in the cluster
   * @return the outcome, whether the checkpoint is new, and every changed field
   * @throws NullPointerException when a spec is null (with no applied spec there is nothing to
   *     compare: the job simply starts)
   */
  public static SpecChange classify(StreamingJobSpec applied, StreamingJobSpec desired) {
    Objects.requireNonNull(applied, "applied");
    Objects.requireNonNull(desired, "desired");
    JsonNode before = LastAppliedSpec.MAPPER.valueToTree(applied);
    JsonNode after = LastAppliedSpec.MAPPER.valueToTree(desired);
    List<FieldChange> changes = new ArrayList<>();
    walk("", before, after, changes);
    return decide(changes, Boolean.TRUE.equals(desired.getSuspend()));
  }

  private static SpecChange decide(List<FieldChange> changes, boolean suspendNow) {
    Set<Effect> effects = new HashSet<>();
    changes.forEach(c -> effects.add(c.effect()));
    boolean fresh = effects.contains(Effect.NEW_CHECKPOINT);
    Outcome outcome;
    if (changes.isEmpty()) {
      outcome = Outcome.NONE;
    } else if (effects.contains(Effect.INCOMPATIBLE) && !fresh) {
      outcome = Outcome.INCOMPATIBLE;
    } else if (effects.contains(Effect.SUSPEND)) {
      outcome = suspendNow ? Outcome.SUSPEND : Outcome.RESUME;
    } else if (effects.contains(Effect.RESTART) || effects.contains(Effect.INCOMPATIBLE) || fresh) {
      outcome = Outcome.RESTART;
    } else {
      outcome = Outcome.LIVE;
    }
    return new SpecChange(outcome, fresh, changes);
  }

  private static void walk(String path, JsonNode before, JsonNode after, List<FieldChange> out) {
    Rule rule = RULES.get(path);
    if (rule != null) {
      compare(path, rule, before, after, out);
      return;
    }
    boolean objects = isObject(before) || isObject(after);
    if (!objects) {
      if (!Objects.equals(present(before), present(after))) {
        // a field without a rule (added to the API but not here): never ignored
        out.add(new FieldChange(path, Effect.RESTART, "field without a classification"));
      }
      return;
    }
    for (String name : fieldNames(before, after)) {
      walk(path.isEmpty() ? name : path + "." + name, child(before, name), child(after, name), out);
    }
  }

  private static void compare(
      String path, Rule rule, JsonNode before, JsonNode after, List<FieldChange> out) {
    JsonNode a = orDefault(before, rule.absent());
    JsonNode b = orDefault(after, rule.absent());
    if (rule.compare() == Compare.MAP) {
      for (String key : new TreeSet<>(fieldNames(a, b))) {
        if (!Objects.equals(present(child(a, key)), present(child(b, key)))) {
          String note = CHECKPOINT_PINNED_CONFS.contains(key) ? PINNED_NOTE : rule.note();
          out.add(new FieldChange(path + "[" + key + "]", rule.effect(), note));
        }
      }
      return;
    }
    if (!same(rule.compare(), a, b)) {
      out.add(new FieldChange(path, rule.effect(), rule.note()));
    }
  }

  private static boolean same(Compare compare, JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    switch (compare) {
      case MEMORY -> {
        try {
          return SparkMemory.parseMib(a.asText()) == SparkMemory.parseMib(b.asText());
        } catch (IllegalArgumentException e) {
          return a.equals(b);
        }
      }
      case DURATION -> {
        try {
          return RestartBackoff.duration("", a.asText(), "0s")
              .equals(RestartBackoff.duration("", b.asText(), "0s"));
        } catch (IllegalArgumentException e) {
          return a.equals(b);
        }
      }
      case SET -> {
        Set<JsonNode> x = new HashSet<>();
        Set<JsonNode> y = new HashSet<>();
        a.forEach(x::add);
        b.forEach(y::add);
        return x.equals(y);
      }
      default -> {
        if (a.isNumber() && b.isNumber()) {
          return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.equals(b);
      }
    }
  }

  private static JsonNode orDefault(JsonNode node, JsonNode absent) {
    JsonNode n = present(node);
    return n == null ? absent : n;
  }

  /** The node, or null when it is missing or JSON null. */
  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  private static boolean isObject(JsonNode node) {
    return node != null && node.isObject();
  }

  private static JsonNode child(JsonNode node, String name) {
    return node == null ? null : node.get(name);
  }

  private static Set<String> fieldNames(JsonNode a, JsonNode b) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode n : new JsonNode[] {a, b}) {
      if (n != null && n.isObject()) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
          names.add(it.next());
        }
      }
    }
    return names;
  }

  /**
   * Pod settings ({@code PodSettings}) of the driver or the executors: a pod's spec cannot change
   * in place, and Spark reads the executor pod template when the driver starts, so each is a
   * restart; maps compare per key, lists and {@code affinity} as a whole.
   */
  private static void podSettings(Map<String, Rule> r, String pod) {
    r.put(pod + ".imagePullSecrets", restart());
    r.put(pod + ".nodeSelector", new Rule(Effect.RESTART, Compare.MAP, null, null));
    r.put(pod + ".tolerations", restart());
    r.put(pod + ".affinity", restart());
    r.put(pod + ".priorityClassName", restart());
    r.put(pod + ".labels", new Rule(Effect.RESTART, Compare.MAP, null, null));
    r.put(pod + ".annotations", new Rule(Effect.RESTART, Compare.MAP, null, null));
  }

  private static Rule restart() {
    return new Rule(Effect.RESTART, Compare.VALUE, null, null);
  }

  private static Rule incompatible() {
    return new Rule(Effect.INCOMPATIBLE, Compare.VALUE, null, null);
  }

  private static Rule live(JsonNode absent, Compare compare) {
    return new Rule(Effect.LIVE, compare, absent, null);
  }

  private static TextNode text(String value) {
    return TextNode.valueOf(value);
  }
}
