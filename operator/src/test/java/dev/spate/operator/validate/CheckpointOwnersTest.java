package dev.spate.operator.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.CheckpointVolume;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.operator.TestJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One checkpoint location per cluster: the job created first keeps it. */
class CheckpointOwnersTest {

  private static StreamingJob job(String ns, String name, String created, String location) {
    StreamingJob job = TestJobs.load("minimal");
    job.getMetadata().setNamespace(ns);
    job.getMetadata().setName(name);
    job.getMetadata().setCreationTimestamp(created);
    job.getSpec().getCheckpoint().setLocation(location);
    job.getSpec().getCheckpoint().setVolume(null);
    return job;
  }

  @Test
  void theLaterJobOnALocationIsRefusedNamingTheEarlier() {
    StreamingJob a = job("a", "one", "2026-11-01T00:00:00Z", "s3a://bucket/ckpt/job");
    StreamingJob b = job("b", "two", "2026-11-02T00:00:00Z", "S3A://bucket/ckpt/job//");
    List<StreamingJob> all = List.of(a, b);
    assertThat(CheckpointOwners.claimedBefore(b, all)).contains(a);
    assertThat(CheckpointOwners.claimedBefore(a, all)).isEmpty();
  }

  @Test
  void nestedLocationsOverlapButSiblingsDoNot() {
    StreamingJob outer = job("a", "outer", "2026-11-01T00:00:00Z", "s3a://b/ckpt/job");
    StreamingJob inner = job("a", "inner", "2026-11-02T00:00:00Z", "s3a://b/ckpt/job/sub");
    StreamingJob sibling = job("a", "sibling", "2026-11-03T00:00:00Z", "s3a://b/ckpt/job2");
    List<StreamingJob> all = List.of(outer, inner, sibling);
    assertThat(CheckpointOwners.claimedBefore(inner, all)).contains(outer);
    assertThat(CheckpointOwners.claimedBefore(sibling, all)).isEmpty();
  }

  @Test
  void theSamePathOnTwoVolumesIsTwoLocations() {
    StreamingJob a = job("a", "one", "2026-11-01T00:00:00Z", "file:///checkpoints/job");
    StreamingJob b = job("a", "two", "2026-11-02T00:00:00Z", "file:///checkpoints/job");
    CheckpointVolume va = new CheckpointVolume();
    va.setClaimName("claim-a");
    CheckpointVolume vb = new CheckpointVolume();
    vb.setClaimName("claim-b");
    a.getSpec().getCheckpoint().setVolume(va);
    b.getSpec().getCheckpoint().setVolume(vb);
    assertThat(CheckpointOwners.claimedBefore(b, List.of(a, b))).isEmpty();
    vb.setClaimName("claim-a");
    assertThat(CheckpointOwners.claimedBefore(b, List.of(a, b))).contains(a);
  }

  @Test
  void sameCreationTimeIsOrderedByNamespaceAndName() {
    StreamingJob a = job("a", "x", "2026-11-01T00:00:00Z", "s3a://b/c");
    StreamingJob b = job("a", "y", "2026-11-01T00:00:00Z", "s3a://b/c");
    assertThat(CheckpointOwners.claimedBefore(b, List.of(b, a))).contains(a);
    assertThat(CheckpointOwners.claimedBefore(a, List.of(b, a))).isEmpty();
  }

  @Test
  void aJobBeingDeletedHoldsItsLocationUntilItIsGone() {
    StreamingJob a = job("a", "one", "2026-11-01T00:00:00Z", "s3a://b/c");
    a.getMetadata().setDeletionTimestamp("2026-11-05T00:00:00Z");
    StreamingJob b = job("a", "two", "2026-11-02T00:00:00Z", "s3a://b/c");
    assertThat(CheckpointOwners.claimedBefore(b, List.of(a, b))).contains(a);
    assertThat(CheckpointOwners.claimedBefore(b, List.of(b))).isEmpty();
  }
}
