package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;
import java.util.Objects;

/** The driver pod: size, identity and environment. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"cores", "memory", "serviceAccountName", "env"})
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
      "ServiceAccount of the driver and executor pods (spark.kubernetes.authenticate.driver.serviceAccountName); it needs the rights Spark's driver uses on executor pods and ConfigMaps, and the job's control ConfigMap. Default: the job's own ServiceAccount <job>-driver, which the operator creates with a Role and RoleBinding of that name.")
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "driver.serviceAccountName must be a Kubernetes ServiceAccount name"
              + " (lower case alphanumerics, '-' and '.')")
  private String serviceAccountName;

  @JsonPropertyDescription(
      "Environment variables of the driver container, as in a Pod spec: a value, or valueFrom a Secret key (secretKeyRef), a ConfigMap key, a field or a resource - the way to hand the driver a secret without writing it into the spec. Set after the variables of sparkConf's spark.kubernetes.driverEnv.*, so an entry here wins over those. Names the operator sets (SPARK_DRIVER_BIND_ADDRESS, SPARK_LOCAL_DIRS, SPARK_CONF_DIR) are rejected. Fields: kubectl explain pod.spec.containers.env. Default: none.")
  @Size(max = 100)
  @ValidationRule(
      value = "self.all(e, has(e.name) && size(e.name) > 0)",
      message = "driver.env entries need a name")
  @ValidationRule(
      value =
          "self.all(e, !has(e.name) || !(e.name in ['SPARK_DRIVER_BIND_ADDRESS',"
              + " 'SPARK_LOCAL_DIRS', 'SPARK_CONF_DIR']))",
      message =
          "driver.env must not set SPARK_DRIVER_BIND_ADDRESS, SPARK_LOCAL_DIRS or SPARK_CONF_DIR:"
              + " the operator sets them (pod IP, local dirs volume, Spark conf ConfigMap)")
  private List<EnvVar> env;

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
   * ServiceAccount of the driver and executor pods ({@code
   * spark.kubernetes.authenticate.driver.serviceAccountName}); it needs the rights Spark's driver
   * uses on executor pods and ConfigMaps, and the job's control ConfigMap. Default: the job's own
   * ServiceAccount {@code <job>-driver}, which the operator creates with a Role and RoleBinding of
   * that name.
   *
   * @return the service account name, or {@code null} for the job's own
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

  /**
   * Environment variables of the driver container, as in a Pod spec ({@code value}, or {@code
   * valueFrom} a Secret key, a ConfigMap key, a field or a resource); set after the variables of
   * {@code sparkConf}'s {@code spark.kubernetes.driverEnv.*}, so an entry here wins over those.
   * Default: none.
   *
   * @return the variables, or {@code null}
   */
  public List<EnvVar> getEnv() {
    return env;
  }

  /**
   * @param env see {@link #getEnv()}
   */
  public void setEnv(List<EnvVar> env) {
    this.env = env;
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
        && Objects.equals(serviceAccountName, that.serviceAccountName)
        && Objects.equals(env, that.env);
  }

  @Override
  public int hashCode() {
    return 31 * podSettingsHash() + Objects.hash(cores, memory, serviceAccountName, env);
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
        + ", env="
        + env
        + podSettingsString()
        + "}";
  }
}
