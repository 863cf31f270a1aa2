package dev.spate.job;

import org.apache.spark.TaskContext;

/**
 * The {@code version} of an aggregate record, derived from the micro-batch that emits it: {@code
 * version = batchId + 1}.
 *
 * <p>Why the batch id: Spark's micro-batch ids grow by one per batch, are kept in the checkpoint's
 * offset log (so they continue across restarts, suspend and resume of a query on the same
 * checkpoint), and a micro-batch that Spark runs again after a failure keeps its id (Structured
 * Streaming programming guide, "Recovering from Failures with Checkpointing"). The stateful step
 * emits at most one record per key and micro-batch, so versions of one key only grow — also across
 * state expiry, where a counter kept in the removed state would start over — and a replayed
 * micro-batch emits the same versions again.
 *
 * <p>Spark hands the batch id to every task of a micro-batch as the local property {@value
 * #BATCH_ID_PROPERTY} ({@code MicroBatchExecution.BATCH_ID_KEY}).
 */
final class OutputVersion {

  /** Task local property Spark sets to the running micro-batch's id. */
  static final String BATCH_ID_PROPERTY = "streaming.sql.batchId";

  private OutputVersion() {}

  /**
   * @param batchId the micro-batch id, from 0
   * @return the version of every record that micro-batch emits, from 1
   * @throws IllegalArgumentException when {@code batchId} is negative
   */
  static long of(long batchId) {
    if (batchId < 0) {
      throw new IllegalArgumentException("micro-batch id must not be negative: " + batchId);
    }
    return batchId + 1;
  }

  /**
   * @return the id of the micro-batch the calling Spark task belongs to
   * @throws IllegalStateException when not called from a task of a micro-batch query
   */
  static long currentBatchId() {
    TaskContext task = TaskContext.get();
    String id = task == null ? null : task.getLocalProperty(BATCH_ID_PROPERTY);
    if (id == null) {
      throw new IllegalStateException(
          "no micro-batch id: the stateful step runs only inside a Structured Streaming"
              + " micro-batch query (task local property "
              + BATCH_ID_PROPERTY
              + ")");
    }
    return Long.parseLong(id);
  }
}
