package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Executor pods: size and count bounds. The operator runs clamp(ceil(partitions / cores),
 * minExecutors, maxExecutors) executors, since Spark's Kafka source reads one task per partition
 * per micro-batch.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cores", "memory", "minExecutors", "maxExecutors"})
@ValidationRule(
    value =
        "!has(self.minExecutors) || !has(self.maxExecutors)"
            + " || self.minExecutors <= self.maxExecutors",
    message = "executor.minExecutors must be less than or equal to executor.maxExecutors",
    fieldPath = ".minExecutors")
public class ExecutorSpec extends PodSettings {

  @JsonPropertyDescription(
      "Cores (task slots) per executor, 1 to 64 (spark.executor.cores; also the pod's CPU request). Default 1.")
  @Default("1")
  @Min(1)
  @Max(ApiPatterns.MAX_CORES)
  private Integer cores;

  @JsonPropertyDescription(
      "Executor JVM heap (spark.executor.memory), as a Spark memory size or a Kubernetes binary quantity: 2g, 512m, 4Gi. The pod requests this plus max(384 MiB, 0.10 × memory) (spark.executor.memoryOverhead). Default 2g.")
  @Default(Defaults.EXECUTOR_MEMORY)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.MEMORY + "')",
      message = "executor.memory " + ApiPatterns.MEMORY_HINT)
  private String memory;

  @JsonPropertyDescription("Fewest executors run, 0 to 1000 and at most maxExecutors. Default 1.")
  @Default("1")
  @Min(0)
  @Max(ApiPatterns.MAX_EXECUTORS)
  private Integer minExecutors;

  @JsonPropertyDescription(
      "Most executors run, 1 to 1000 (the operator sets spark.executor.instances and applies changes live through the driver plugin). Default 16.")
  @Default("16")
  @Min(1)
  @Max(ApiPatterns.MAX_EXECUTORS)
  private Integer maxExecutors;

  /**
   * Cores (task slots) per executor, at least 1 ({@code spark.executor.cores}; also the pod's CPU
   * request). Default {@value Defaults#EXECUTOR_CORES}.
   *
   * @return cores, or {@code null} for the default
   */
  public Integer getCores() {
    return cores;
  }

  /**
   * @param cores see {@link #getCores()}
   */
  public void setCores(Integer cores) {
    this.cores = cores;
  }

  /**
   * Executor JVM heap ({@code spark.executor.memory}), as {@link ApiPatterns#MEMORY}: {@code 2g},
   * {@code 512m}, {@code 4Gi}. The pod requests this plus max(384 MiB, 0.10 × memory) ({@code
   * spark.executor.memoryOverhead}). Default {@value Defaults#EXECUTOR_MEMORY}.
   *
   * @return the memory size, or {@code null} for the default
   */
  public String getMemory() {
    return memory;
  }

  /**
   * @param memory see {@link #getMemory()}
   */
  public void setMemory(String memory) {
    this.memory = memory;
  }

  /**
   * Fewest executors run, at least 0 and at most {@code maxExecutors}. Default {@value
   * Defaults#MIN_EXECUTORS}.
   *
   * @return the lower bound, or {@code null} for the default
   */
  public Integer getMinExecutors() {
    return minExecutors;
  }

  /**
   * @param minExecutors see {@link #getMinExecutors()}
   */
  public void setMinExecutors(Integer minExecutors) {
    this.minExecutors = minExecutors;
  }

  /**
   * Most executors run, at least 1 (the operator sets {@code spark.executor.instances} and applies
   * changes live through the driver plugin). Default {@value Defaults#MAX_EXECUTORS}.
   *
   * @return the upper bound, or {@code null} for the default
   */
  public Integer getMaxExecutors() {
    return maxExecutors;
  }

  /**
   * @param maxExecutors see {@link #getMaxExecutors()}
   */
  public void setMaxExecutors(Integer maxExecutors) {
    this.maxExecutors = maxExecutors;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ExecutorSpec that)) {
      return false;
    }
    return samePodSettings(that)
        && Objects.equals(cores, that.cores)
        && Objects.equals(memory, that.memory)
        && Objects.equals(minExecutors, that.minExecutors)
        && Objects.equals(maxExecutors, that.maxExecutors);
  }

  @Override
  public int hashCode() {
    return 31 * podSettingsHash() + Objects.hash(cores, memory, minExecutors, maxExecutors);
  }

  @Override
  public String toString() {
    return "ExecutorSpec{"
        + "cores="
        + cores
        + ", memory="
        + memory
        + ", minExecutors="
        + minExecutors
        + ", maxExecutors="
        + maxExecutors
        + podSettingsString()
        + "}";
  }
}
