package dev.spate.job;

/**
 * What the map side hands on (Spark bean encoder): either the partial aggregate of one key within
 * one input partition of a micro-batch, or a {@linkplain #tally tally} of that partition's bad
 * records, which only the observed metrics read and which is dropped before the stateful step.
 *
 * <p>The aggregate's properties are those of {@link Aggregate} (count 0 for a tally). {@link
 * #getGroupKey()} is what the stateful step groups by: {@code "+" + key} (the prefix is part of the
 * state-store key of existing checkpoints); {@code null} for a tally.
 */
public class Partial extends Aggregate {

  private static final long serialVersionUID = 1L;

  /** Prefix of the group key of an aggregation key. */
  public static final String KEY_PREFIX = "+";

  private String groupKey;
  private long badRecords;

  /** For Spark's bean encoder. */
  public Partial() {}

  static Partial of(String key, double value, long eventTimeMs) {
    Partial p = new Partial();
    p.groupKey = KEY_PREFIX + key;
    p.first(value, eventTimeMs);
    return p;
  }

  /**
   * @param badRecords bad records of one input partition and micro-batch
   * @return a row that only carries that count
   */
  static Partial tally(long badRecords) {
    Partial p = new Partial();
    p.badRecords = badRecords;
    return p;
  }

  /**
   * @return whether this row only carries a bad-record count
   */
  public boolean isTally() {
    return groupKey == null;
  }

  public String getGroupKey() {
    return groupKey;
  }

  public void setGroupKey(String groupKey) {
    this.groupKey = groupKey;
  }

  /**
   * @return bad records counted (only a tally has any)
   */
  public long getBadRecords() {
    return badRecords;
  }

  public void setBadRecords(long badRecords) {
    this.badRecords = badRecords;
  }
}
