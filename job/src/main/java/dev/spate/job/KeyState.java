package dev.spate.job;

/**
 * The state kept per key in the state store (Spark bean encoder): the key's {@link Aggregate} and
 * the version of its last output record.
 */
public class KeyState extends Aggregate {

  private static final long serialVersionUID = 1L;

  private long version;

  /** For Spark's bean encoder. */
  public KeyState() {}

  static KeyState from(Partial p) {
    KeyState s = new KeyState();
    s.copy(p);
    return s;
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
