package dev.spate.operator.sizing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * What {@link ScalingPolicy} remembers between reconciles of one job: the desired executor counts
 * seen during the stabilisation window, the sizing spec they were computed under and the input
 * partitions the applied count was sized for. Immutable; the reconciler keeps the latest value per
 * job in memory ({@link #EMPTY} after an operator start) and passes it to the next decision.
 *
 * <p>Only the counts that can still be the highest in the window are kept: a count seen before a
 * higher or equal one can never be the maximum again (the later one expires later), so {@link
 * #seen()} is strictly decreasing in count and increasing in time, at most {@code maxExecutors + 1}
 * entries whatever the reconcile rate.
 *
 * @param spec the sizing spec of the counts in {@link #seen()}, or {@code null} in {@link #EMPTY}
 * @param seen desired counts with the last time each was the desired count; strictly decreasing in
 *     count, non-decreasing in time; empty in {@link #EMPTY}
 * @param sizedForPartitions input partitions the applied count was decided for (for the Event
 *     text), or {@code null} when unknown (after an operator start)
 */
public record ScaleDownWindow(SizingSpec spec, List<Seen> seen, Integer sizedForPartitions) {

  /** The state of a job the operator has decided nothing for since it started. */
  public static final ScaleDownWindow EMPTY = new ScaleDownWindow(null, List.of(), null);

  /**
   * A desired executor count and the last time it was the desired count: from the reconcile that
   * first computed it until the reconcile that first computed a different one.
   *
   * @param desired executors, {@code >= 0}
   * @param until the last time it was desired
   */
  public record Seen(int desired, Instant until) {
    /**
     * @throws IllegalArgumentException when desired is negative
     * @throws NullPointerException when until is null
     */
    public Seen {
      if (desired < 0) {
        throw new IllegalArgumentException("desired executors must be >= 0, was " + desired);
      }
      Objects.requireNonNull(until, "until");
    }
  }

  /**
   * @throws NullPointerException when seen is null
   * @throws IllegalArgumentException when seen is not strictly decreasing in count and
   *     non-decreasing in time, or a spec is missing for a non-empty window
   */
  public ScaleDownWindow {
    seen = List.copyOf(Objects.requireNonNull(seen, "seen"));
    for (int i = 1; i < seen.size(); i++) {
      if (seen.get(i).desired() >= seen.get(i - 1).desired()
          || seen.get(i).until().isBefore(seen.get(i - 1).until())) {
        throw new IllegalArgumentException(
            "seen counts must be strictly decreasing in count and in time order, were " + seen);
      }
    }
    if (spec == null && !seen.isEmpty()) {
      throw new IllegalArgumentException("a window with seen counts needs the spec they used");
    }
  }

  /**
   * A window holding one count, as after a first decision or a spec change.
   *
   * @param spec the sizing spec
   * @param desired the count
   * @param now when it was seen
   * @param partitions input partitions it was sized for, or null
   * @return the window
   */
  static ScaleDownWindow of(SizingSpec spec, int desired, Instant now, Integer partitions) {
    return new ScaleDownWindow(spec, List.of(new Seen(desired, now)), partitions);
  }

  /**
   * The window after a reconcile computed {@code desired} at {@code now}: the previous latest count
   * was desired until now; counts last desired at or before {@code now − window} expire (as the HPA
   * keeps recommendations strictly after its cutoff); counts dominated by a later, higher or equal
   * one are dropped.
   *
   * @param desired the count computed now
   * @param now the time of the reconcile
   * @param window the stabilisation window
   * @return the list of seen counts, strictly decreasing, ending with {@code desired}
   */
  List<Seen> record(int desired, Instant now, Duration window) {
    Instant cutoff = now.minus(window);
    List<Seen> next = new ArrayList<>(seen.size() + 1);
    for (int i = 0; i < seen.size(); i++) {
      Seen s = seen.get(i);
      // the latest count was desired until this reconcile
      Instant until = i == seen.size() - 1 && now.isAfter(s.until()) ? now : s.until();
      if (until.isAfter(cutoff) && s.desired() > desired) {
        next.add(new Seen(s.desired(), until));
      }
    }
    next.add(new Seen(desired, now));
    return next;
  }

  /**
   * The highest count in the window.
   *
   * @return the count, or empty in {@link #EMPTY}
   */
  public OptionalInt highest() {
    return seen.isEmpty() ? OptionalInt.empty() : OptionalInt.of(seen.get(0).desired());
  }
}
