package dev.spate.operator.validate;

import dev.spate.api.v1alpha1.CheckpointSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One checkpoint location per cluster: two streaming queries writing one checkpoint directory
 * corrupt each other's offsets, commits and state store (Spark's checkpoint holds exactly one
 * query's progress). Of the jobs claiming a location, the one created first keeps it; each later
 * one is refused, naming the first.
 *
 * <p>A location is the checkpoint URI with its scheme lower-cased and trailing slashes removed,
 * plus the PersistentVolumeClaim for {@code file://} locations on a volume (the same path on two
 * claims is two places). One location inside another ({@code .../a} and {@code .../a/b}) also
 * counts as shared: the outer query's checkpoint would contain the inner one's. A job being deleted
 * holds its location until it is gone (its driver may still be writing); the later job is checked
 * again at its next reconcile.
 */
public final class CheckpointOwners {

  private CheckpointOwners() {}

  /** Order of claims: creation time, then namespace and name (stable across operator restarts). */
  static final Comparator<StreamingJob> FIRST_CREATED =
      Comparator.comparing(
              (StreamingJob j) ->
                  Objects.requireNonNullElse(j.getMetadata().getCreationTimestamp(), "~"))
          .thenComparing(j -> Objects.requireNonNullElse(j.getMetadata().getNamespace(), ""))
          .thenComparing(j -> j.getMetadata().getName());

  /**
   * The job created before {@code job} whose checkpoint location overlaps {@code job}'s, if any.
   *
   * @param job the job being validated
   * @param all the jobs the operator sees (may include {@code job} itself and unreadable jobs)
   * @return the earliest-created other job sharing the location, or empty
   */
  public static Optional<StreamingJob> claimedBefore(
      StreamingJob job, Collection<StreamingJob> all) {
    Optional<String> mine = key(job);
    if (mine.isEmpty()) {
      return Optional.empty();
    }
    return all.stream()
        .filter(other -> !sameObject(job, other))
        .filter(other -> FIRST_CREATED.compare(other, job) < 0)
        .filter(other -> key(other).filter(theirs -> overlap(mine.get(), theirs)).isPresent())
        .min(FIRST_CREATED);
  }

  private static boolean sameObject(StreamingJob a, StreamingJob b) {
    return Objects.equals(a.getMetadata().getNamespace(), b.getMetadata().getNamespace())
        && Objects.equals(a.getMetadata().getName(), b.getMetadata().getName());
  }

  static boolean overlap(String a, String b) {
    return a.equals(b) || a.startsWith(b + "/") || b.startsWith(a + "/");
  }

  /**
   * @return {@code [claim:<ns>/<pvc>]<scheme>://<rest>} without trailing slashes, or empty when the
   *     job has no readable location
   */
  static Optional<String> key(StreamingJob job) {
    if (job.getSpec() == null || job.unreadableSpecReason().isPresent()) {
      return Optional.empty();
    }
    CheckpointSpec checkpoint = job.getSpec().getCheckpoint();
    if (checkpoint == null || checkpoint.getLocation() == null) {
      return Optional.empty();
    }
    String location = checkpoint.getLocation().strip();
    int colon = location.indexOf("://");
    if (colon > 0) {
      location = location.substring(0, colon).toLowerCase(Locale.ROOT) + location.substring(colon);
    }
    while (location.endsWith("/") && !location.endsWith("://")) {
      location = location.substring(0, location.length() - 1);
    }
    if (location.startsWith("file://") && checkpoint.getVolume() != null) {
      location =
          "claim:"
              + job.getMetadata().getNamespace()
              + "/"
              + checkpoint.getVolume().getClaimName()
              + "|"
              + location;
    }
    return Optional.of(location);
  }
}
