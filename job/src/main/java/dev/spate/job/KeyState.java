package dev.spate.job;

import java.io.Serializable;

/**
 * The state kept per key in the state store (Spark bean encoder). {@code sum}, {@code min} and
 * {@code max} are meaningful only when a value field is configured.
 */
public class KeyState implements Serializable {

  private static final long serialVersionUID = 1L;

  private long count;
  private double sum;
  private double min;
  private double max;
  private long firstEventTime;
  private long lastEventTime;
  private long version;

  /** For Spark's bean encoder. */
  public KeyState() {}

  static KeyState from(Partial p) {
    KeyState s = new KeyState();
    s.count = p.getCount();
    s.sum = p.getSum();
    s.min = p.getMin();
    s.max = p.getMax();
    s.firstEventTime = p.getFirstEventTime();
    s.lastEventTime = p.getLastEventTime();
    return s;
  }

  void merge(Partial p) {
    count += p.getCount();
    sum += p.getSum();
    min = Math.min(min, p.getMin());
    max = Math.max(max, p.getMax());
    firstEventTime = Math.min(firstEventTime, p.getFirstEventTime());
    lastEventTime = Math.max(lastEventTime, p.getLastEventTime());
  }

  /**
   * @return records aggregated
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
   * @return earliest event time seen, ms since the epoch
   */
  public long getFirstEventTime() {
    return firstEventTime;
  }

  public void setFirstEventTime(long firstEventTime) {
    this.firstEventTime = firstEventTime;
  }

  /**
   * @return latest event time seen, ms since the epoch
   */
  public long getLastEventTime() {
    return lastEventTime;
  }

  public void setLastEventTime(long lastEventTime) {
    this.lastEventTime = lastEventTime;
  }

  /**
   * @return version of the last record emitted for the key ({@link OutputVersion}); kept so the
   *     state's schema stays that of existing checkpoints
   */
  public long getVersion() {
    return version;
  }

  public void setVersion(long version) {
    this.version = version;
  }
}
