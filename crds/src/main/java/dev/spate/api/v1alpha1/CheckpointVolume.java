package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A PersistentVolumeClaim (ReadWriteMany unless the job runs on one node) holding the checkpoint.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"claimName", "mountPath"})
public class CheckpointVolume {

  @JsonPropertyDescription(
      "Name of the PVC in the StreamingJob's namespace (Spark spark.kubernetes.*.volumes.persistentVolumeClaim.<name>.options.claimName). Required.")
  @Required
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "checkpoint.volume.claimName must be a Kubernetes PersistentVolumeClaim name"
              + " (lower case alphanumerics, '-' and '.')")
  private String claimName;

  @JsonPropertyDescription(
      "Absolute path the claim is mounted at in every pod, without a trailing slash (Spark spark.kubernetes.*.volumes.persistentVolumeClaim.<name>.mount.path). Default /checkpoints.")
  @Default(Defaults.CHECKPOINT_MOUNT_PATH)
  @Size(max = 512)
  @ValidationRule(
      value = "self.matches('^/.*[^/]$')",
      message = "checkpoint.volume.mountPath must be an absolute path without a trailing slash")
  private String mountPath;

  /**
   * Name of the PVC in the StreamingJob's namespace (Spark {@code
   * spark.kubernetes.*.volumes.persistentVolumeClaim.<name>.options.claimName}). Required.
   *
   * @return the claim name
   */
  public String getClaimName() {
    return claimName;
  }

  /**
   * @param claimName see {@link #getClaimName()}
   */
  public void setClaimName(String claimName) {
    this.claimName = claimName;
  }

  /**
   * Absolute path the claim is mounted at in every pod, without a trailing slash (Spark {@code
   * spark.kubernetes.*.volumes.persistentVolumeClaim.<name>.mount.path}). Default {@value
   * Defaults#CHECKPOINT_MOUNT_PATH}.
   *
   * @return the mount path, or {@code null} for the default
   */
  public String getMountPath() {
    return mountPath;
  }

  /**
   * @param mountPath see {@link #getMountPath()}
   */
  public void setMountPath(String mountPath) {
    this.mountPath = mountPath;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CheckpointVolume that)) {
      return false;
    }
    return Objects.equals(claimName, that.claimName) && Objects.equals(mountPath, that.mountPath);
  }

  @Override
  public int hashCode() {
    return Objects.hash(claimName, mountPath);
  }

  @Override
  public String toString() {
    return "CheckpointVolume{" + "claimName=" + claimName + ", mountPath=" + mountPath + "}";
  }
}
