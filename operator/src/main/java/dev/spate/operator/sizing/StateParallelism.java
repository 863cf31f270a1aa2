package dev.spate.operator.sizing;

import java.util.Objects;
import java.util.Optional;

/**
 * The state parallelism of a stateful query: {@code spark.sql.shuffle.partitions}, the number of
 * state store partitions and so of stateful tasks in every micro-batch.
 *
 * <p>Spark fixes it for the life of a checkpoint: the state is hash-partitioned by key, so the
 * value of the query's first run is stored in the checkpoint's offset log and restored on every
 * restart, whatever the session says (Structured Streaming Programming Guide, "Additional
 * Information" notes: {@code spark.sql.shuffle.partitions} is among the configurations "not
 * modifiable after the query has run";
 * https://spark.apache.org/docs/3.5.3/structured-streaming-programming-guide.html#additional-information;
 * measured on Spark 3.5.3). So the operator chooses it once, at the first start, records it in
 * {@code status.stateParallelism} and passes the same value on every restart.
 *
 * <p>Rule, with headroom for growth: {@code P = roundUp(max(2 × partitions, maxExecutors ×
 * executor.cores, 8), maxExecutors × executor.cores)}.
 *
 * <ul>
 *   <li>{@code 2 × partitions}: the topic may double its partitions and the stateful stage still
 *       has a task per input partition.
 *   <li>{@code maxExecutors × executor.cores}: every task slot of the largest cluster the spec
 *       allows runs a stateful task, so growing to {@code maxExecutors} speeds up the stateful
 *       stage too (fewer state partitions than cores leave cores idle in it).
 *   <li>{@code 8}: a floor so a tiny first start (one partition, one executor) is not pinned to a
 *       single state task forever.
 *   <li>Rounded up to a multiple of {@code maxExecutors × executor.cores}: at full size the
 *       stateful stage runs in whole waves, no wave with idle cores.
 * </ul>
 *
 * <p>Not Spark's default 200: each state partition is a task with a fixed cost every micro-batch
 * (measured here: 200 makes a small stateful batch take 30–60 s on 2 cores), and state files are
 * written per partition.
 */
public final class StateParallelism {

  /** Condition and Event reason when the input partitions exceed the state parallelism. */
  public static final String EXCEEDED_REASON =
      dev.spate.operator.decide.Reason.STATE_PARALLELISM_EXCEEDED.value();

  /** The floor of the rule: at least this many state partitions. */
  public static final int MIN_STATE_PARTITIONS = 8;

  /** Headroom factor over the input partitions at the first start. */
  public static final int PARTITION_HEADROOM = 2;

  private StateParallelism() {}

  /**
   * The state parallelism for a first start, by the rule in the class comment.
   *
   * @param partitions total input partitions at the first start, {@code >= 0}
   * @param spec the sizing spec at the first start
   * @return the value for {@code spark.sql.shuffle.partitions}, {@code >= 8}
   * @throws IllegalArgumentException when partitions are negative or the result exceeds {@link
   *     Integer#MAX_VALUE}
   * @throws NullPointerException when spec is null
   */
  public static int choose(int partitions, SizingSpec spec) {
    Objects.requireNonNull(spec, "spec");
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, was " + partitions);
    }
    long slots = spec.maxCores();
    long wanted =
        Math.max(Math.max(PARTITION_HEADROOM * (long) partitions, slots), MIN_STATE_PARTITIONS);
    long rounded = (wanted + slots - 1) / slots * slots;
    if (rounded > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "state parallelism "
              + rounded
              + " for "
              + partitions
              + " partitions and "
              + slots
              + " executor cores does not fit spark.sql.shuffle.partitions");
    }
    return (int) rounded;
  }

  /**
   * The state parallelism to pass to a driver: the recorded one when the checkpoint has one, else a
   * new choice.
   *
   * @param recorded {@code status.stateParallelism}, or {@code null} before the first start (or
   *     after the checkpoint location changed and the reconciler cleared it)
   * @param partitions total input partitions now
   * @param spec the sizing spec now
   * @return {@code recorded} when present, else {@link #choose}
   * @throws IllegalArgumentException when {@code recorded} is below 1, or as {@link #choose}
   */
  public static int pinned(Integer recorded, int partitions, SizingSpec spec) {
    if (recorded != null) {
      if (recorded < 1) {
        throw new IllegalArgumentException("status.stateParallelism must be >= 1, was " + recorded);
      }
      return recorded;
    }
    return choose(partitions, spec);
  }

  /**
   * A warning when the input has outgrown the state parallelism: more input partitions than state
   * partitions means the stateful stage runs fewer tasks than the read stage, so executors added
   * for the new partitions sit idle in it. Only a new checkpoint location changes it.
   *
   * @param partitions total input partitions now, {@code >= 0}
   * @param stateParallelism the pinned state parallelism, {@code >= 1}
   * @return the warning, or empty when {@code partitions <= stateParallelism}
   * @throws IllegalArgumentException on a negative partition count or a state parallelism below 1
   */
  public static Optional<Warning> check(int partitions, int stateParallelism) {
    if (partitions < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, was " + partitions);
    }
    if (stateParallelism < 1) {
      throw new IllegalArgumentException("state parallelism must be >= 1, was " + stateParallelism);
    }
    if (partitions <= stateParallelism) {
      return Optional.empty();
    }
    return Optional.of(
        new Warning(
            EXCEEDED_REASON,
            "Input partitions ("
                + partitions
                + ") exceed the state parallelism ("
                + stateParallelism
                + ", spark.sql.shuffle.partitions"
                + " pinned by the checkpoint): the stateful stage runs at most "
                + stateParallelism
                + " tasks per micro-batch however many executors run. Spark cannot change it for an"
                + " existing checkpoint; to raise it, start the job on a new checkpoint location."));
  }

  /**
   * A warning for a condition and a {@code Warning} Event.
   *
   * @param reason the CamelCase reason ({@link #EXCEEDED_REASON})
   * @param message human-readable, names both counts and the remedy
   */
  public record Warning(String reason, String message) {
    /**
     * @throws NullPointerException when reason or message is null
     */
    public Warning {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
