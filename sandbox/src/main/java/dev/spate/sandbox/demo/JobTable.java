package dev.spate.sandbox.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code kubectl get streamingjobs} table (the CRD's printer columns NAME PHASE PARTITIONS
 * EXECUTORS LAG RESTARTS AGE), rendered from a StreamingJob's JSON. Pure functions.
 */
public final class JobTable {

  private static final String FORMAT = "%-22s %-11s %-11s %-10s %-8s %-9s %s";

  private JobTable() {}

  /**
   * @return the header line
   */
  public static String header() {
    return String.format(
        FORMAT, "NAME", "PHASE", "PARTITIONS", "EXECUTORS", "LAG", "RESTARTS", "AGE");
  }

  /**
   * @param job the StreamingJob as JSON
   * @param now the current time
   * @return one row; absent values print as {@code <none>}, like kubectl
   */
  public static String row(JsonNode job, Instant now) {
    JsonNode status = job.path("status");
    String created = job.path("metadata").path("creationTimestamp").asText("");
    String age =
        created.isEmpty() ? "<unknown>" : age(Duration.between(Instant.parse(created), now));
    return String.format(
        FORMAT,
        job.path("metadata").path("name").asText(),
        text(status.path("phase")),
        text(status.path("kafka").path("partitions")),
        text(status.path("executors").path("summary")),
        text(status.path("kafka").path("lag")),
        text(status.path("restarts").path("count")),
        age);
  }

  /**
   * kubectl's short duration: {@code 45s}, {@code 3m12s}, {@code 2h5m}, {@code 3d4h}.
   *
   * @param d the duration (negative counts as 0)
   * @return the text
   */
  public static String age(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
    }
    if (s < 86400) {
      return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }
    return (s / 86400) + "d" + ((s % 86400) / 3600 == 0 ? "" : ((s % 86400) / 3600) + "h");
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "<none>" : node.asText();
  }
}
