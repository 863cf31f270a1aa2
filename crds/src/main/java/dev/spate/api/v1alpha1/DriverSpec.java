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

/** The driver pod: size and identity. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cores", "memory", "serviceAccountName"})
public class DriverSpec extends PodSettings {

  @JsonPropertyDescription(
      "Driver cores, 1 to 64 (spark.driver.cores; also the pod's CPU request). Default 1.")
  @Default("1")
  @Min(1)
  @Max(ApiPatterns.MAX_CORES)
  private Integer cores;

  @JsonPropertyDescription(
      "Driver JVM heap (spark.driver.memory), as a Spark memory size or a Kubernetes binary quantity: 1g, 512m, 2Gi. The pod requests this plus Spark's overhead, max(384 MiB, 0.10 × memory) (spark.driver.memoryOverhead). Default 1g.")
  @Default(Defaults.DRIVER_MEMORY)
  @Size(max = 16)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.MEMORY + "')",
      message = "driver.memory " + ApiPatterns.MEMORY_HINT)
  private String memory;

  @JsonPropertyDescription(
      "ServiceAccount of the driver pod; it needs the rights to create, watch and delete executor pods (spark.kubernetes.authenticate.driver.serviceAccountName). Default: the operator's configured driver service account.")
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "driver.serviceAccountName must be a Kubernetes ServiceAccount name"
              + " (lower case alphanumerics, '-' and '.')")
  private String serviceAccountName;

  /**
   * Driver cores, at least 1 ({@code spark.driver.cores}; also the pod's CPU request). Default
   * {@value Defaults#DRIVER_CORES}.
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
   * Driver JVM heap ({@code spark.driver.memory}), as {@link ApiPatterns#MEMORY}: {@code 1g},
   * {@code 512m}, {@code 2Gi}. The pod requests this plus Spark's overhead, max(384 MiB, 0.10 ×
   * memory) ({@code spark.driver.memoryOverhead}). Default {@value Defaults#DRIVER_MEMORY}.
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
   * ServiceAccount of the driver pod; it needs the rights to create, watch and delete executor pods
   * ({@code spark.kubernetes.authenticate.driver.serviceAccountName}). Default: the operator's
   * configured driver service account.
   *
   * @return the service account name, or {@code null} for the operator's default
   */
  public String getServiceAccountName() {
    return serviceAccountName;
  }

  /**
   * @param serviceAccountName see {@link #getServiceAccountName()}
   */
  public void setServiceAccountName(String serviceAccountName) {
    this.serviceAccountName = serviceAccountName;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DriverSpec that)) {
      return false;
    }
    return samePodSettings(that)
        && Objects.equals(cores, that.cores)
        && Objects.equals(memory, that.memory)
        && Objects.equals(serviceAccountName, that.serviceAccountName);
  }

  @Override
  public int hashCode() {
    return 31 * podSettingsHash() + Objects.hash(cores, memory, serviceAccountName);
  }

  @Override
  public String toString() {
    return "DriverSpec{"
        + "cores="
        + cores
        + ", memory="
        + memory
        + ", serviceAccountName="
        + serviceAccountName
        + podSettingsString()
        + "}";
  }
}
