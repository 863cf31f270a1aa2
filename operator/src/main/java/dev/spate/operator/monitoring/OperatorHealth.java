package dev.spate.operator.monitoring;

import java.util.List;

/**
 * The probe decisions, pure: from what java-operator-sdk's {@code RuntimeInfo} says to an HTTP
 * answer for {@code /healthz} (liveness) and {@code /readyz} (readiness).
 *
 * <ul>
 *   <li><b>Liveness</b> fails only when the operator has started and an event source (the
 *       StreamingJob informer, the owned-object informers, the Kafka poller) reports itself
 *       unhealthy, e.g. an informer that stopped watching: a restart is what repairs that. While
 *       the caches are still syncing the process is alive; a start that fails ends the process
 *       instead.
 *   <li><b>Readiness</b> is true once started with every event source healthy, on the leader and on
 *       a standby alike. A standby's informers are started and synced before the election (JOSDK
 *       starts every event source first), so it is ready to take over at once; and the operator
 *       serves no traffic a readiness gate would protect (only {@code /metrics}). Marking a standby
 *       unready would also block a rolling update: the new pod cannot become leader while the old
 *       one holds the Lease, and the old one is not stopped until the new one is ready.
 * </ul>
 */
public final class OperatorHealth {

  private OperatorHealth() {}

  /**
   * A probe's answer.
   *
   * @param ok true → HTTP 200, false → HTTP 503
   * @param message one line for humans (also the response body)
   */
  public record Probe(boolean ok, String message) {}

  /**
   * What the probes look at.
   *
   * @param started {@code RuntimeInfo.isStarted()}: informers synced, controller registered
   * @param leader whether this instance reconciles (see {@code SpateOperator.isLeader})
   * @param unhealthy the unhealthy event sources, as {@code <controller>/<event source>: <status>};
   *     empty when all are healthy
   */
  public record State(boolean started, boolean leader, List<String> unhealthy) {}

  /**
   * The liveness answer.
   *
   * @param state the runtime state
   * @return 503 only when started and some event source is unhealthy
   */
  public static Probe liveness(State state) {
    if (state.started() && !state.unhealthy().isEmpty()) {
      return new Probe(false, "unhealthy event sources: " + String.join(", ", state.unhealthy()));
    }
    return new Probe(true, state.started() ? "ok" : "ok (starting)");
  }

  /**
   * The readiness answer.
   *
   * @param state the runtime state
   * @return 200 once started with every event source healthy, leader or standby
   */
  public static Probe readiness(State state) {
    if (!state.started()) {
      return new Probe(false, "starting: informer caches not synced yet");
    }
    if (!state.unhealthy().isEmpty()) {
      return new Probe(false, "unhealthy event sources: " + String.join(", ", state.unhealthy()));
    }
    return new Probe(
        true,
        state.leader()
            ? "ready (leader: reconciling)"
            : "ready (standby: caches synced, waiting for the leader Lease)");
  }
}
