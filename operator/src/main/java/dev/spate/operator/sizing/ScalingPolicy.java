package dev.spate.operator.sizing;

import dev.spate.operator.decide.ExecutorSizing;
import dev.spate.operator.sizing.ExecutorCountDecision.Cause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The executor count to apply now, from the count applied so far and the count the input partitions
 * call for ({@link ExecutorSizing#desiredExecutors}: {@code clamp(ceil(partitions /
 * executor.cores), minExecutors, maxExecutors)}).
 *
 * <p>Rules:
 *
 * <ul>
 *   <li><b>Scale up</b> applies at once: too few cores for the partitions means read tasks queue
 *       behind each other every micro-batch.
 *   <li><b>Scale down</b> is stabilised as the Kubernetes HorizontalPodAutoscaler's {@code
 *       spec.behavior.scaleDown.stabilizationWindowSeconds} does (default 300 s;
 *       https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/#stabilization-window):
 *       the count applied is the highest desired count seen within the window (the last {@code
 *       window} before now), never more than the applied count. So a lower count applies only once
 *       every count desired during the window was lower, and a flapping partition count or a
 *       transient read does not thrash executors. Deviation from the HPA: after an operator start
 *       the window is seeded with the applied count (the HPA starts empty and may scale down at
 *       once), so a restart of the operator never shrinks a job early.
 *   <li><b>Spec changes</b> of {@code executor.minExecutors}, {@code maxExecutors} or {@code cores}
 *       apply at once in both directions (the user asked for them) and restart the window. A {@code
 *       cores} change also needs a driver restart from the checkpoint (the reconciler's concern);
 *       the new count is what that driver starts with.
 *   <li>An applied count outside the spec's bounds (possible after an operator start) is replaced
 *       at once.
 * </ul>
 *
 * <p>Call it on every reconcile that knows the input partition count (when Kafka cannot be read,
 * keep the applied count and the window as they are). Window edges: a count last desired at {@code
 * t} counts until {@code t + window} exclusive, so a lower count first seen at {@code t0} applies
 * at {@code t0 + window} at the earliest (the reconcile at or after {@link
 * ExecutorCountDecision#reviewAt()}).
 */
public final class ScalingPolicy {

  /** Default stabilisation window for scale-down: 5 min, as the HPA's default 300 s. */
  public static final Duration DEFAULT_STABILIZATION_WINDOW = Duration.ofMinutes(5);

  private final Duration window;

  /**
   * @param stabilizationWindow how long a lower desired count must hold before it applies; {@code
   *     0} disables stabilisation (every change applies at once)
   * @throws IllegalArgumentException when the window is negative
   * @throws NullPointerException when the window is null
   */
  public ScalingPolicy(Duration stabilizationWindow) {
    Objects.requireNonNull(stabilizationWindow, "stabilizationWindow");
    if (stabilizationWindow.isNegative()) {
      throw new IllegalArgumentException(
          "the scale-down stabilisation window must not be negative, was " + stabilizationWindow);
    }
    this.window = stabilizationWindow;
  }

  /**
   * @return a policy with {@link #DEFAULT_STABILIZATION_WINDOW}
   */
  public static ScalingPolicy withDefaults() {
    return new ScalingPolicy(DEFAULT_STABILIZATION_WINDOW);
  }

  /**
   * @return the stabilisation window
   */
  public Duration stabilizationWindow() {
    return window;
  }

  /**
   * Decides the executor count to apply now.
   *
   * @param applied the count applied so far (the control ConfigMap's {@code desiredExecutors}, or
   *     {@code status.executors.desired}), or {@code null} when none was applied yet
   * @param partitions total partitions of the input topics now, {@code >= 0}
   * @param spec the sizing spec now
   * @param state the window returned by this job's previous decision, or {@link
   *     ScaleDownWindow#EMPTY} after an operator start
   * @param now the time of the decision
   * @return the count to apply, why, and the next window
   * @throws IllegalArgumentException when partitions or applied are negative
   * @throws NullPointerException when spec, state or now is null
   */
  public ExecutorCountDecision decide(
      Integer applied, int partitions, SizingSpec spec, ScaleDownWindow state, Instant now) {
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(now, "now");
    if (applied != null && applied < 0) {
      throw new IllegalArgumentException("applied executors must be >= 0, was " + applied);
    }
    int desired =
        ExecutorSizing.desiredExecutors(
            partitions, spec.executorCores(), spec.minExecutors(), spec.maxExecutors());

    if (applied == null) {
      return new ExecutorCountDecision(
          desired,
          desired,
          desired,
          Cause.INITIAL,
          "Sized executors to "
              + desired
              + " (input partitions "
              + partitions
              + ", "
              + describe(spec)
              + ")",
          ScaleDownWindow.of(spec, desired, now, partitions),
          Optional.empty());
    }
    int current = applied;
    if (state.spec() != null && !state.spec().equals(spec)) {
      String changes = specChanges(state.spec(), spec);
      ScaleDownWindow next = ScaleDownWindow.of(spec, desired, now, partitions);
      return desired == current
          ? unchanged(current, partitions, next, " after " + changes)
          : new ExecutorCountDecision(
              desired,
              current,
              desired,
              Cause.SPEC_CHANGED,
              rescaled(current, desired) + " (" + changes + ")",
              next,
              Optional.empty());
    }
    if (current < spec.minExecutors() || current > spec.maxExecutors()) {
      return new ExecutorCountDecision(
          desired,
          current,
          desired,
          Cause.OUT_OF_BOUNDS,
          rescaled(current, desired)
              + " (outside the executor bounds ["
              + spec.minExecutors()
              + ", "
              + spec.maxExecutors()
              + "])",
          ScaleDownWindow.of(spec, desired, now, partitions),
          Optional.empty());
    }

    ScaleDownWindow seeded =
        state.spec() == null
            ? ScaleDownWindow.of(spec, current, now, null) // operator start: hold one whole window
            : state;
    List<ScaleDownWindow.Seen> seen = seeded.record(desired, now, window);
    Integer sizedFor = seeded.sizedForPartitions();
    String inputs = partitionChange(sizedFor, partitions);

    if (desired > current) {
      return new ExecutorCountDecision(
          desired,
          current,
          desired,
          Cause.SCALE_UP,
          rescaled(current, desired) + " (" + inputs + ")",
          new ScaleDownWindow(spec, seen, partitions),
          Optional.empty());
    }
    if (desired == current) {
      return unchanged(current, partitions, new ScaleDownWindow(spec, seen, partitions), "");
    }
    int highest = seen.get(0).desired();
    if (highest < current) {
      String stabilised =
          highest > desired
              ? "; " + highest + " is the highest count desired in the last " + human(window)
              : "";
      boolean done = highest == desired;
      return new ExecutorCountDecision(
          highest,
          current,
          desired,
          Cause.SCALE_DOWN,
          rescaled(current, highest) + " (" + inputs + stabilised + ")",
          new ScaleDownWindow(spec, seen, done ? Integer.valueOf(partitions) : sizedFor),
          done ? Optional.empty() : Optional.of(reviewAt(seen)));
    }
    Instant at = reviewAt(seen);
    return new ExecutorCountDecision(
        current,
        current,
        desired,
        Cause.SCALE_DOWN_STABILIZING,
        "Scale-down of executors "
            + current
            + " → "
            + desired
            + " held until "
            + at
            + " ("
            + inputs
            + "; "
            + highest
            + " executors were desired within the "
            + human(window)
            + " stabilisation window)",
        new ScaleDownWindow(spec, seen, sizedFor),
        Optional.of(at));
  }

  /** When the highest count of the window expires: the next time the applied count can drop. */
  private Instant reviewAt(List<ScaleDownWindow.Seen> seen) {
    return seen.get(0).until().plus(window);
  }

  private static ExecutorCountDecision unchanged(
      int current, int partitions, ScaleDownWindow next, String after) {
    return new ExecutorCountDecision(
        current,
        current,
        current,
        Cause.UNCHANGED,
        "Executors stay at " + current + " (input partitions " + partitions + ")" + after,
        next,
        Optional.empty());
  }

  private static String rescaled(int from, int to) {
    return "Rescaled executors " + from + " → " + to;
  }

  private static String partitionChange(Integer before, int now) {
    return before == null || before == now
        ? "input partitions " + now
        : "input partitions " + before + " → " + now;
  }

  private static String describe(SizingSpec spec) {
    return "executor.cores "
        + spec.executorCores()
        + ", bounds ["
        + spec.minExecutors()
        + ", "
        + spec.maxExecutors()
        + "]";
  }

  private static String specChanges(SizingSpec before, SizingSpec now) {
    List<String> changes = new ArrayList<>();
    if (before.minExecutors() != now.minExecutors()) {
      changes.add("executor.minExecutors " + before.minExecutors() + " → " + now.minExecutors());
    }
    if (before.maxExecutors() != now.maxExecutors()) {
      changes.add("executor.maxExecutors " + before.maxExecutors() + " → " + now.maxExecutors());
    }
    if (before.executorCores() != now.executorCores()) {
      changes.add("executor.cores " + before.executorCores() + " → " + now.executorCores());
    }
    return String.join(", ", changes);
  }

  /** {@code 5m}, {@code 90s} → {@code 1m30s}, {@code 0s}. */
  static String human(Duration d) {
    long s = d.toSeconds();
    if (s < 60) {
      return d.toMillis() % 1000 == 0 ? s + "s" : d.toMillis() + "ms";
    }
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    return (h > 0 ? h + "h" : "") + (m > 0 ? m + "m" : "") + (sec > 0 ? sec + "s" : "");
  }
}
