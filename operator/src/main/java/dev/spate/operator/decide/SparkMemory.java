package dev.spate.operator.decide;

import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Spark's memory strings and its memory-overhead rule, turned into Kubernetes quantities.
 *
 * <p>Parsing follows Spark's {@code JavaUtils.byteStringAs} for confs declared with {@code
 * bytesConf(ByteUnit.MiB)} ({@code spark.driver.memory}, {@code spark.executor.memory}, {@code
 * spark.{driver,executor}.memoryOverhead}): an integer with an optional binary unit {@code b, k|kb,
 * m|mb, g|gb, t|tb, p|pb} (case-insensitive, 1k = 1024); no unit means MiB; fractions are rejected
 * as Spark rejects them. Kubernetes' {@code Ki, Mi, Gi, Ti} are accepted too (the CRD admits them)
 * and mean the same binary units; the operator always hands Spark {@code <MiB>m}.
 *
 * <p>Overhead follows Spark 3.5's Kubernetes backend ({@code BasicDriverFeatureStep}, {@code
 * BasicExecutorFeatureStep}): {@code spark.<role>.memoryOverhead} when set, else {@code max(384
 * MiB, (int) (spark.<role>.memoryOverheadFactor × memory))} with factor 0.10 (or {@code
 * spark.kubernetes.memoryOverheadFactor} when the role's factor is unset). The container's memory
 * request and limit are memory + overhead.
 */
public final class SparkMemory {

  /** Spark's {@code MEMORY_OVERHEAD_MIN_MIB}: the smallest overhead, in MiB. */
  public static final long MIN_OVERHEAD_MIB = 384;

  /** Spark's default {@code spark.{driver,executor}.memoryOverheadFactor} for JVM jobs. */
  public static final double DEFAULT_OVERHEAD_FACTOR = 0.10;

  private static final Pattern WHOLE = Pattern.compile("([0-9]+)\\s*([a-z]+)?");
  private static final Pattern FRACTION = Pattern.compile("([0-9]+\\.[0-9]+)\\s*([a-z]+)?");
  private static final Map<String, Long> UNIT_BYTES =
      Map.ofEntries(
          Map.entry("b", 1L),
          Map.entry("k", 1L << 10),
          Map.entry("kb", 1L << 10),
          Map.entry("m", 1L << 20),
          Map.entry("mb", 1L << 20),
          Map.entry("g", 1L << 30),
          Map.entry("gb", 1L << 30),
          Map.entry("t", 1L << 40),
          Map.entry("tb", 1L << 40),
          Map.entry("p", 1L << 50),
          Map.entry("pb", 1L << 50),
          // Kubernetes-style binary suffixes, which the CRD's memory pattern also admits
          Map.entry("ki", 1L << 10),
          Map.entry("mi", 1L << 20),
          Map.entry("gi", 1L << 30),
          Map.entry("ti", 1L << 40));

  /** The Spark role whose memory is sized; selects the {@code spark.<role>.*} keys. */
  public enum Role {
    /** {@code spark.driver.*}. */
    DRIVER("driver"),
    /** {@code spark.executor.*}. */
    EXECUTOR("executor");

    private final String key;

    Role(String key) {
      this.key = key;
    }

    /**
     * @return {@code spark.<role>.memoryOverhead}
     */
    public String overheadKey() {
      return "spark." + key + ".memoryOverhead";
    }

    /**
     * @return {@code spark.<role>.memoryOverheadFactor}
     */
    public String overheadFactorKey() {
      return "spark." + key + ".memoryOverheadFactor";
    }
  }

  private SparkMemory() {}

  /**
   * Parses a Spark memory string to whole MiB, rounding down as Spark's {@code byteStringAsMb}
   * does.
   *
   * @param value e.g. {@code 2g}, {@code 512m}, {@code 1536} (MiB), {@code 1073741824b}
   * @return the size in MiB
   * @throws IllegalArgumentException when the value is null, blank, fractional, negative, has an
   *     unknown unit or overflows
   */
  public static long parseMib(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("memory size is empty");
    }
    String lower = value.trim().toLowerCase(Locale.ROOT);
    Matcher whole = WHOLE.matcher(lower);
    if (whole.matches()) {
      String unit = whole.group(2);
      long number;
      try {
        number = Long.parseLong(whole.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("memory size '" + value + "' is too large", e);
      }
      if (unit == null) {
        return number;
      }
      Long bytesPerUnit = UNIT_BYTES.get(unit);
      if (bytesPerUnit == null) {
        throw new IllegalArgumentException(
            "memory size '"
                + value
                + "' has unknown unit '"
                + unit
                + "' (expected b, k, kb, m, mb, g, gb, t, tb, p, pb, Ki, Mi, Gi, Ti)");
      }
      try {
        return Math.multiplyExact(number, bytesPerUnit) >> 20;
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("memory size '" + value + "' is too large", e);
      }
    }
    if (FRACTION.matcher(lower).matches()) {
      throw new IllegalArgumentException(
          "memory size '"
              + value
              + "' is fractional; Spark accepts whole numbers only (e.g. 1536m)");
    }
    throw new IllegalArgumentException(
        "memory size '" + value + "' is not a Spark memory string (e.g. 2g, 512m)");
  }

  /**
   * Spark 3.5's legacy overhead factor, used where {@code spark.<role>.memoryOverheadFactor} is
   * unset.
   */
  public static final String LEGACY_OVERHEAD_FACTOR_KEY = "spark.kubernetes.memoryOverheadFactor";

  private static final Set<String> KUBERNETES_UNITS = Set.of("ki", "mi", "gi", "ti");

  /**
   * Parses a size as Spark itself does for a Spark conf value ({@code JavaUtils.byteStringAs}):
   * like {@link #parseMib(String)}, but Kubernetes' {@code Ki, Mi, Gi, Ti} are rejected, since
   * Spark rejects them (a {@code 1Gi} in {@code spark.driver.memoryOverhead} fails spark-submit).
   *
   * @param value e.g. {@code 1g}, {@code 384m}, {@code 512} (MiB)
   * @return the size in MiB
   * @throws IllegalArgumentException when Spark would not accept the value
   */
  public static long parseSparkSizeMib(String value) {
    Matcher m = value == null ? null : WHOLE.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (m != null && m.matches() && m.group(2) != null && KUBERNETES_UNITS.contains(m.group(2))) {
      throw new IllegalArgumentException(
          "memory size '"
              + value
              + "' has a Kubernetes suffix, which Spark rejects; use b, k, m, g, t or p (e.g."
              + " 1g, 384m)");
    }
    return parseMib(value);
  }

  /**
   * The memory overhead Spark's Kubernetes backend adds to a container, in MiB.
   *
   * @param role driver or executor
   * @param memoryMib the heap ({@code spark.<role>.memory}) in MiB
   * @param sparkConf the user's Spark conf; {@code spark.<role>.memoryOverhead} (a Spark size,
   *     {@link #parseSparkSizeMib}) and {@code spark.<role>.memoryOverheadFactor} are honoured when
   *     present, and without the latter the legacy {@value #LEGACY_OVERHEAD_FACTOR_KEY}, as Spark
   *     3.5's {@code BasicDriverFeatureStep} and {@code BasicExecutorFeatureStep} fall back to it
   * @return overhead in MiB
   * @throws IllegalArgumentException when an overhead key is present but malformed, or the factor
   *     is not a number in (0, 1] (Spark's check on {@code memoryOverheadFactor})
   */
  public static long overheadMib(Role role, long memoryMib, Map<String, String> sparkConf) {
    String explicit = sparkConf == null ? null : sparkConf.get(role.overheadKey());
    if (explicit != null) {
      try {
        return parseSparkSizeMib(explicit);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(role.overheadKey() + ": " + e.getMessage(), e);
      }
    }
    double factor = DEFAULT_OVERHEAD_FACTOR;
    String factorKey = role.overheadFactorKey();
    String factorValue = sparkConf == null ? null : sparkConf.get(factorKey);
    if (factorValue == null && sparkConf != null) {
      factorKey = LEGACY_OVERHEAD_FACTOR_KEY;
      factorValue = sparkConf.get(factorKey);
    }
    if (factorValue != null) {
      try {
        factor = Double.parseDouble(factorValue.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(factorKey + " '" + factorValue + "' is not a number", e);
      }
      if (!(factor > 0 && factor <= 1)) {
        throw new IllegalArgumentException(factorKey + " must be in (0, 1], was " + factorValue);
      }
    }
    return Math.max(MIN_OVERHEAD_MIB, (long) (int) (factor * memoryMib));
  }

  /**
   * The container memory (request = limit) for a Spark role: memory + overhead.
   *
   * @param role driver or executor
   * @param memory the Spark memory string of the role (e.g. {@code 2g})
   * @param sparkConf the user's Spark conf (may hold overhead keys), may be null
   * @return the quantity in {@code Mi}, e.g. {@code 2432Mi} for {@code 2g}
   * @throws IllegalArgumentException when a memory string is malformed
   */
  public static Quantity containerMemory(Role role, String memory, Map<String, String> sparkConf) {
    long memoryMib = parseMib(memory);
    return new Quantity(memoryMib + overheadMib(role, memoryMib, sparkConf) + "Mi");
  }
}
