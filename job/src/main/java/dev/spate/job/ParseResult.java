package dev.spate.job;

/**
 * Outcome of reading one input record: either a good event (key, value, event time) or a bad record
 * (reason and a human-readable detail).
 */
public final class ParseResult {

  private final String key;
  private final double value;
  private final long eventTimeMs;
  private final BadRecordReason reason;
  private final String detail;

  private ParseResult(
      String key, double value, long eventTimeMs, BadRecordReason reason, String detail) {
    this.key = key;
    this.value = value;
    this.eventTimeMs = eventTimeMs;
    this.reason = reason;
    this.detail = detail;
  }

  static ParseResult good(String key, double value, long eventTimeMs) {
    return new ParseResult(key, value, eventTimeMs, null, null);
  }

  static ParseResult bad(BadRecordReason reason, String detail) {
    return new ParseResult(null, 0, 0, reason, detail);
  }

  /**
   * @return whether the record can be aggregated
   */
  public boolean isGood() {
    return reason == null;
  }

  /**
   * @return the aggregation key (good records)
   */
  public String key() {
    return key;
  }

  /**
   * @return the numeric value (good records; 0 when no value field is configured)
   */
  public double value() {
    return value;
  }

  /**
   * @return the event time, ms since the epoch (good records)
   */
  public long eventTimeMs() {
    return eventTimeMs;
  }

  /**
   * @return why the record is bad, {@code null} for good records
   */
  public BadRecordReason reason() {
    return reason;
  }

  /**
   * @return a sentence on what is wrong, {@code null} for good records
   */
  public String detail() {
    return detail;
  }

  @Override
  public String toString() {
    return isGood()
        ? "good[" + key + ", " + value + ", " + eventTimeMs + "]"
        : "bad[" + reason + ": " + detail + "]";
  }
}
