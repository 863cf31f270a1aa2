package dev.spate.job;

import java.io.Serializable;

/**
 * One record for Spark's Kafka sink (columns {@code topic, key, value}): an aggregate update for
 * the output topic. No {@code headers} column: aggregates carry none, and an empty array per row
 * was encoded and handed to the sink for nothing (dead letters go through {@link DeadLetterSink}).
 */
public class OutputRecord implements Serializable {

  private static final long serialVersionUID = 1L;

  private String topic;
  private byte[] key;
  private byte[] value;

  /** For Spark's bean encoder. */
  public OutputRecord() {}

  OutputRecord(String topic, byte[] key, byte[] value) {
    this.topic = topic;
    this.key = key;
    this.value = value;
  }

  public String getTopic() {
    return topic;
  }

  public void setTopic(String topic) {
    this.topic = topic;
  }

  public byte[] getKey() {
    return key;
  }

  public void setKey(byte[] key) {
    this.key = key;
  }

  public byte[] getValue() {
    return value;
  }

  public void setValue(byte[] value) {
    this.value = value;
  }
}
