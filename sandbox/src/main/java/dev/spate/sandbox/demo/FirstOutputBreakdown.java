package dev.spate.sandbox.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the time from apply to the first output record went in one run: each {@link
 * FirstOutputMilestone} reached, as the time since {@link FirstOutputMilestone#APPLIED}.
 *
 * @param at milestone → time since apply (milestones not reached are absent)
 */
public record FirstOutputBreakdown(Map<FirstOutputMilestone, Duration> at) {

  /** Copies the map. */
  public FirstOutputBreakdown {
    at = at.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(at));
  }

  /**
   * @param instants milestone → when it was seen; must contain {@link FirstOutputMilestone#APPLIED}
   * @return the breakdown relative to apply
   * @throws IllegalArgumentException without {@code APPLIED}
   */
  public static FirstOutputBreakdown of(Map<FirstOutputMilestone, Instant> instants) {
    Instant applied = instants.get(FirstOutputMilestone.APPLIED);
    if (applied == null) {
      throw new IllegalArgumentException("no " + FirstOutputMilestone.APPLIED + " instant");
    }
    Map<FirstOutputMilestone, Duration> at = new EnumMap<>(FirstOutputMilestone.class);
    instants.forEach((m, i) -> at.put(m, Duration.between(applied, i)));
    return new FirstOutputBreakdown(at);
  }

  /**
   * @param m a milestone
   * @return the step from {@code m.after()} to {@code m}, or null when either was not reached (or
   *     for {@code APPLIED})
   */
  public Duration step(FirstOutputMilestone m) {
    if (m.after() == null || !at.containsKey(m) || !at.containsKey(m.after())) {
      return null;
    }
    return at.get(m).minus(at.get(m.after()));
  }

  /**
   * @return one line per milestone reached, in time order: seconds since apply, the step in seconds
   *     since the milestone it is measured from, the milestone, what the step is spent on
   */
  public String table() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(Locale.ROOT, "  %7s %7s  %-30s %s%n", "at s", "step s", "milestone", ""));
    List<FirstOutputMilestone> order = new ArrayList<>(at.keySet());
    order.sort(Comparator.comparing(at::get));
    for (FirstOutputMilestone m : order) {
      Duration step = step(m);
      b.append(
          String.format(
              Locale.ROOT,
              "  %7.2f %7s  %-30s %s%n",
              seconds(at.get(m)),
              step == null ? "" : String.format(Locale.ROOT, "%.2f", seconds(step)),
              m.label(),
              m.after() == null ? "" : "since " + m.after().label() + ": " + m.step()));
    }
    return b.toString();
  }

  /**
   * Medians over several runs, per milestone: time since apply (with the range) and step.
   *
   * @param runs the runs' breakdowns
   * @return one line per milestone reached in every run, in the enum's order
   */
  public static String summary(List<FirstOutputBreakdown> runs) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "  %7s %13s %7s  %-30s %s%n",
            "at s",
            "(min–max)",
            "step s",
            "milestone (medians over " + runs.size() + " runs)",
            ""));
    for (FirstOutputMilestone m : FirstOutputMilestone.values()) {
      List<Duration> at = new ArrayList<>();
      List<Duration> steps = new ArrayList<>();
      for (FirstOutputBreakdown r : runs) {
        if (r.at().containsKey(m)) {
          at.add(r.at().get(m));
        }
        if (r.step(m) != null) {
          steps.add(r.step(m));
        }
      }
      if (at.size() < runs.size() || at.isEmpty()) {
        continue;
      }
      at.sort(Comparator.naturalOrder());
      b.append(
          String.format(
              Locale.ROOT,
              "  %7.2f %13s %7s  %-30s %s%n",
              seconds(median(at)),
              String.format(
                  Locale.ROOT, "(%.2f–%.2f)", seconds(at.get(0)), seconds(at.get(at.size() - 1))),
              steps.size() < runs.size()
                  ? ""
                  : String.format(Locale.ROOT, "%.2f", seconds(median(steps))),
              m.label(),
              m.after() == null ? "" : "since " + m.after().label() + ": " + m.step()));
    }
    return b.toString();
  }

  /**
   * @param values durations (not changed)
   * @return the median (mean of the middle two for an even count)
   * @throws IllegalArgumentException when empty
   */
  public static Duration median(List<Duration> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    List<Duration> s = new ArrayList<>(values);
    s.sort(Comparator.naturalOrder());
    int n = s.size();
    return n % 2 == 1 ? s.get(n / 2) : s.get(n / 2 - 1).plus(s.get(n / 2)).dividedBy(2);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }
}
