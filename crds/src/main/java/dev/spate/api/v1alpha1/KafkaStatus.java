package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/** What the operator last read from Kafka about the job's input and its consumer group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"partitions", "lag", "lagSeconds", "committedBatchId", "lastCommitTime"})
public class KafkaStatus {

  @JsonPropertyDescription("Partitions of all input topics together.")
  private Integer partitions;

  @JsonPropertyDescription(
      "Records behind: Σ over input partitions of (end offset − the consumer group's committed offset), in records.")
  private Long lag;

  @JsonPropertyDescription(
      "Seconds behind: the age of the oldest record not yet processed, the largest over input"
          + " partitions of (now − when the record at the consumer group's committed offset was"
          + " produced), estimated from the end offsets the operator observed over time (linear"
          + " interpolation between two polls; a lower bound while the committed offset is older"
          + " than the operator's first observation). 0 when fully caught up.")
  private Long lagSeconds;

  @JsonPropertyDescription(
      "Id of the last micro-batch whose end offsets were committed to the consumer group (from the commit metadata {batchId, timestamp}).")
  private Long committedBatchId;

  @JsonPropertyDescription(
      "When that micro-batch was committed, RFC 3339 (commit metadata timestamp).")
  private String lastCommitTime;

  /**
   * Partitions of all input topics together.
   *
   * @return the count
   */
  public Integer getPartitions() {
    return partitions;
  }

  /**
   * @param partitions see {@link #getPartitions()}
   */
  public void setPartitions(Integer partitions) {
    this.partitions = partitions;
  }

  /**
   * Records behind: Σ over input partitions of (end offset − the consumer group's committed
   * offset), in records.
   *
   * @return the lag
   */
  public Long getLag() {
    return lag;
  }

  /**
   * @param lag see {@link #getLag()}
   */
  public void setLag(Long lag) {
    this.lag = lag;
  }

  /**
   * Seconds behind: the age of the oldest record the job has not yet processed (the largest over
   * input partitions), estimated from observed end offsets (see {@code
   * dev.spate.operator.lag.LagSeconds} in the operator).
   *
   * @return whole seconds, or {@code null} when unknown
   */
  public Long getLagSeconds() {
    return lagSeconds;
  }

  /**
   * @param lagSeconds see {@link #getLagSeconds()}
   */
  public void setLagSeconds(Long lagSeconds) {
    this.lagSeconds = lagSeconds;
  }

  /**
   * Id of the last micro-batch whose end offsets were committed to the consumer group (from the
   * commit metadata {@code {batchId, timestamp}}).
   *
   * @return the batch id
   */
  public Long getCommittedBatchId() {
    return committedBatchId;
  }

  /**
   * @param committedBatchId see {@link #getCommittedBatchId()}
   */
  public void setCommittedBatchId(Long committedBatchId) {
    this.committedBatchId = committedBatchId;
  }

  /**
   * When that micro-batch was committed, RFC 3339 (commit metadata {@code timestamp}).
   *
   * @return the time
   */
  public String getLastCommitTime() {
    return lastCommitTime;
  }

  /**
   * @param lastCommitTime see {@link #getLastCommitTime()}
   */
  public void setLastCommitTime(String lastCommitTime) {
    this.lastCommitTime = lastCommitTime;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof KafkaStatus that)) {
      return false;
    }
    return Objects.equals(partitions, that.partitions)
        && Objects.equals(lag, that.lag)
        && Objects.equals(lagSeconds, that.lagSeconds)
        && Objects.equals(committedBatchId, that.committedBatchId)
        && Objects.equals(lastCommitTime, that.lastCommitTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(partitions, lag, lagSeconds, committedBatchId, lastCommitTime);
  }

  @Override
  public String toString() {
    return "KafkaStatus{"
        + "partitions="
        + partitions
        + ", lag="
        + lag
        + ", lagSeconds="
        + lagSeconds
        + ", committedBatchId="
        + committedBatchId
        + ", lastCommitTime="
        + lastCommitTime
        + "}";
  }
}
