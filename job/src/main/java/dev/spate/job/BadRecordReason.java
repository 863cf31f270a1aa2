package dev.spate.job;

/** Why an input record cannot be aggregated; written to the dead-letter record's headers. */
public enum BadRecordReason {
  /** The value is empty or not valid JSON. */
  NOT_JSON,
  /** The value is JSON but not an object. */
  NOT_A_JSON_OBJECT,
  /** The key field (or the Kafka key) is missing, null or empty. */
  MISSING_KEY,
  /** The value field is missing or not a JSON number. */
  NON_NUMERIC_VALUE,
  /** The event-time field is missing or cannot be parsed. */
  BAD_EVENT_TIME,
  /**
   * The Kafka record key (the aggregation key when no key field is configured) is not valid UTF-8.
   */
  KEY_NOT_UTF8
}
