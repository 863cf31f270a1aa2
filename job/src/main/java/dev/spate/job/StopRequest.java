package dev.spate.job;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * A requested stop of the driver (SIGTERM, as Kubernetes sends on pod deletion): stops the
 * streaming query once it exists — at once when it already runs, else as soon as it is {@linkplain
 * #attach attached}. Installed before the SparkContext starts, so a SIGTERM during start-up also
 * ends with exit code 0 instead of the JVM's default 143. A repeated SIGTERM changes nothing.
 *
 * <p>The JVM's own SIGTERM handling is replaced, not combined with a shutdown hook: a shutdown hook
 * cannot set the exit status (the JVM exits 143), and Spark's hooks would stop the SparkContext
 * while the query still stops.
 */
final class StopRequest {

  private static final Logger LOG = LoggerFactory.getLogger(StopRequest.class);

  private final AtomicBoolean requested = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final AtomicReference<StreamingQuery> query = new AtomicReference<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  /**
   * @return a stop request set by this JVM's SIGTERM from now on
   */
  static StopRequest onSigterm() {
    StopRequest request = new StopRequest();
    Signal.handle(new Signal("TERM"), signal -> request.request("SIGTERM"));
    return request;
  }

  /**
   * Requests the stop; the query stops on a thread of its own.
   *
   * @param why what asked for it, for the log
   */
  void request(String why) {
    if (!requested.compareAndSet(false, true)) {
      LOG.info("{} again: the stop is already under way", why);
      return;
    }
    LOG.info("{}: stopping the query", why);
    StreamingQuery q = query.get();
    if (q != null) {
      stopAsync(q);
    }
  }

  /**
   * @return whether a stop was requested
   */
  boolean requested() {
    return requested.get();
  }

  /**
   * @param q the started query; stopped at once when a stop was requested before
   */
  void attach(StreamingQuery q) {
    query.set(q);
    if (requested.get()) {
      stopAsync(q);
    }
  }

  private void stopAsync(StreamingQuery q) {
    if (!stopping.compareAndSet(false, true)) {
      return;
    }
    Thread stopper =
        new Thread(
            () -> {
              try {
                q.stop();
              } catch (Exception e) {
                LOG.warn("stopping the query failed", e);
              } finally {
                stopped.countDown();
              }
            },
            "spate-stop");
    stopper.start();
  }

  /**
   * Waits for {@code StreamingQuery.stop()} to return, when it was called.
   *
   * @param timeoutSeconds the longest wait, s
   */
  void awaitStopped(long timeoutSeconds) {
    if (!stopping.get()) {
      return;
    }
    try {
      if (!stopped.await(timeoutSeconds, TimeUnit.SECONDS)) {
        LOG.warn("the query did not stop within {} s", timeoutSeconds);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
