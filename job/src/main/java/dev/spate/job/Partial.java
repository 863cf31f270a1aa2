package dev.spate.job;

import java.io.Serializable;

/**
 * What the map side hands to the stateful step (Spark bean encoder): either the partial aggregate
 * of one key within one input partition of a micro-batch, or one bad record on its way to the
 * dead-letter topic ({@link #getReason()} non-null).
 *
 * <p>{@link #getGroupKey()} is what the stateful step groups by: {@code "+" + key} for aggregates,
 * {@code "!" + partition} for bad records, so the two never meet in one state.
 */
public class Partial implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Prefix of the group key of an aggregation key. */
  public static final String KEY_PREFIX = "+";

  /** Prefix of the group key of bad records. */
  public static final String DEAD_LETTER_PREFIX = "!";

  private String groupKey;
  private long count;
  private double sum;
  private double min;
  private double max;
  private long firstEventTime;
  private long lastEventTime;
  private String reason;
  private String detail;
  private String sourceTopic;
  private int sourcePartition;
  private long sourceOffset;
  private long sourceTimestamp;
  private byte[] originalKey;
  private byte[] originalValue;

  /** For Spark's bean encoder. */
  public Partial() {}

  static Partial of(String key, double value, long eventTimeMs) {
    Partial p = new Partial();
    p.groupKey = KEY_PREFIX + key;
    p.count = 1;
    p.sum = value;
    p.min = value;
    p.max = value;
    p.firstEventTime = eventTimeMs;
    p.lastEventTime = eventTimeMs;
    return p;
  }

  static Partial deadLetter(
      ParseResult bad,
      String topic,
      int partition,
      long offset,
      long timestamp,
      byte[] key,
      byte[] value) {
    Partial p = new Partial();
    p.groupKey = DEAD_LETTER_PREFIX + partition;
    p.count = 1;
    p.reason = bad.reason().name();
    p.detail = bad.detail();
    p.sourceTopic = topic;
    p.sourcePartition = partition;
    p.sourceOffset = offset;
    p.sourceTimestamp = timestamp;
    p.originalKey = key;
    p.originalValue = value;
    return p;
  }

  void add(double value, long eventTimeMs) {
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
    firstEventTime = Math.min(firstEventTime, eventTimeMs);
    lastEventTime = Math.max(lastEventTime, eventTimeMs);
  }

  /**
   * @return whether this is a bad record rather than a partial aggregate
   */
  public boolean deadLetter() {
    return reason != null;
  }

  public String getGroupKey() {
    return groupKey;
  }

  public void setGroupKey(String groupKey) {
    this.groupKey = groupKey;
  }

  /**
   * @return records aggregated (1 for a bad record)
   */
  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  public double getSum() {
    return sum;
  }

  public void setSum(double sum) {
    this.sum = sum;
  }

  public double getMin() {
    return min;
  }

  public void setMin(double min) {
    this.min = min;
  }

  public double getMax() {
    return max;
  }

  public void setMax(double max) {
    this.max = max;
  }

  /**
   * @return earliest event time, ms since the epoch
   */
  public long getFirstEventTime() {
    return firstEventTime;
  }

  public void setFirstEventTime(long firstEventTime) {
    this.firstEventTime = firstEventTime;
  }

  /**
   * @return latest event time, ms since the epoch
   */
  public long getLastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(long lastEventTime) {
    this.lastEventTime = lastEventTime;
  }

  /**
   * @return {@link BadRecordReason} name, {@code null} for an aggregate
   */
  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  public String getDetail() {
    return detail;
  }

  public void setDetail(String detail) {
    this.detail = detail;
  }

  public String getSourceTopic() {
    return sourceTopic;
  }

  public void setSourceTopic(String sourceTopic) {
    this.sourceTopic = sourceTopic;
  }

  public int getSourcePartition() {
    return sourcePartition;
  }

  public void setSourcePartition(int sourcePartition) {
    this.sourcePartition = sourcePartition;
  }

  public long getSourceOffset() {
    return sourceOffset;
  }

  public void setSourceOffset(long sourceOffset) {
    this.sourceOffset = sourceOffset;
  }

  /**
   * @return Kafka timestamp of the bad record, ms since the epoch
   */
  public long getSourceTimestamp() {
    return sourceTimestamp;
  }

  public void setSourceTimestamp(long sourceTimestamp) {
    this.sourceTimestamp = sourceTimestamp;
  }

  public byte[] getOriginalKey() {
    return originalKey;
  }

  public void setOriginalKey(byte[] originalKey) {
    this.originalKey = originalKey;
  }

  public byte[] getOriginalValue() {
    return originalValue;
  }

  public void setOriginalValue(byte[] originalValue) {
    this.originalValue = originalValue;
  }
}
