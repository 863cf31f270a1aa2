package dev.spate.job;

import java.io.Serializable;
import java.util.List;

/**
 * One record for Spark's Kafka sink (columns {@code topic, key, value, headers}): an aggregate
 * update for the output topic or a bad record for the dead-letter topic.
 */
public class OutputRecord implements Serializable {

  private static final long serialVersionUID = 1L;

  private String topic;
  private byte[] key;
  private byte[] value;
  private List<KafkaHeader> headers;

  /** For Spark's bean encoder. */
  public OutputRecord() {}

  OutputRecord(String topic, byte[] key, byte[] value, List<KafkaHeader> headers) {
    this.topic = topic;
    this.key = key;
    this.value = value;
    this.headers = headers;
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

  public List<KafkaHeader> getHeaders() {
    return headers;
  }

  public void setHeaders(List<KafkaHeader> headers) {
    this.headers = headers;
  }
}
