package dev.spate.job;

import java.io.Serializable;

/**
 * One Kafka record header as Spark's Kafka sink wants it ({@code struct<key: string, value:
 * binary>}).
 */
public class KafkaHeader implements Serializable {

  private static final long serialVersionUID = 1L;

  private String key;
  private byte[] value;

  /** For Spark's bean encoder. */
  public KafkaHeader() {}

  KafkaHeader(String key, byte[] value) {
    this.key = key;
    this.value = value;
  }

  public String getKey() {
    return key;
  }

  public void setKey(String key) {
    this.key = key;
  }

  public byte[] getValue() {
    return value;
  }

  public void setValue(byte[] value) {
    this.value = value;
  }
}
