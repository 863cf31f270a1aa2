package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * Where the query's checkpoint lives: offset and commit logs (written by the driver) and the state
 * store (written by every executor). It must be shared by the driver and all executors: an object
 * store ({@code s3a://}, {@code gs://}, {@code abfs://}, with the Hadoop connector in the image) or
 * a ReadWriteMany volume mounted into every pod. The checkpoint is the truth about progress: a new
 * driver resumes from it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"location", "volume", "credentialsSecretRef"})
@ValidationRule(
    value =
        "!has(self.volume) || !has(self.location) || !has(self.volume.mountPath)"
            + " || self.location.startsWith('file://' + self.volume.mountPath + '/')",
    message =
        "checkpoint.location must be a file:// URI under checkpoint.volume.mountPath when a volume"
            + " is set (e.g. file:///checkpoints/my-job)",
    fieldPath = ".location")
@ValidationRule(
    value =
        "!has(self.credentialsSecretRef) || !has(self.location)"
            + " || self.location.startsWith('s3a://')",
    message =
        "checkpoint.credentialsSecretRef is for an s3a:// checkpoint.location (S3 credentials)",
    fieldPath = ".credentialsSecretRef")
public class CheckpointSpec {

  @JsonPropertyDescription(
      "Checkpoint directory URI, e.g. s3a://bucket/checkpoints/job or file:///checkpoints/job (Spark option checkpointLocation; spark.spate.checkpoint.location). Changing it starts the query afresh. Required.")
  @Required
  @Size(max = 1024)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.URI_WITH_SCHEME + "')",
      message =
          "checkpoint.location must be a URI with a scheme, e.g. s3a://bucket/checkpoints/job or"
              + " file:///checkpoints/job")
  private String location;

  @JsonPropertyDescription(
      "A PersistentVolumeClaim mounted into the driver and every executor (Spark's spark.kubernetes.{driver,executor}.volumes.persistentVolumeClaim.* confs); then location must be a file:// URI under its mount path. Default (absent): no volume.")
  private CheckpointVolume volume;

  @JsonPropertyDescription(
      "A Secret with the S3 access key pair of an s3a:// location, passed to the driver and every executor as the environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (read by hadoop-aws's default credential provider chain). Only with an s3a:// location. Default (absent): no credentials from Spate (e.g. an IAM role of the node or a web identity).")
  private CheckpointCredentials credentialsSecretRef;

  /**
   * Checkpoint directory URI, e.g. {@code s3a://bucket/checkpoints/job} or {@code
   * file:///checkpoints/job} (Spark option {@code checkpointLocation}; {@code
   * spark.spate.checkpoint.location}). Changing it starts the query afresh. Required.
   *
   * @return the URI
   */
  public String getLocation() {
    return location;
  }

  /**
   * @param location see {@link #getLocation()}
   */
  public void setLocation(String location) {
    this.location = location;
  }

  /**
   * A PersistentVolumeClaim mounted into the driver and every executor (Spark's {@code
   * spark.kubernetes.{driver,executor}.volumes.persistentVolumeClaim.*} confs); then {@code
   * location} must be a {@code file://} URI under its mount path. Default (absent): no volume.
   *
   * @return the volume, or {@code null}
   */
  public CheckpointVolume getVolume() {
    return volume;
  }

  /**
   * @param volume see {@link #getVolume()}
   */
  public void setVolume(CheckpointVolume volume) {
    this.volume = volume;
  }

  /**
   * A Secret with the S3 access key pair of an {@code s3a://} location, passed to the driver and
   * every executor as the environment variables {@code AWS_ACCESS_KEY_ID} and {@code
   * AWS_SECRET_ACCESS_KEY}. Default (absent): no credentials from Spate.
   *
   * @return the reference, or {@code null}
   */
  public CheckpointCredentials getCredentialsSecretRef() {
    return credentialsSecretRef;
  }

  /**
   * @param credentialsSecretRef see {@link #getCredentialsSecretRef()}
   */
  public void setCredentialsSecretRef(CheckpointCredentials credentialsSecretRef) {
    this.credentialsSecretRef = credentialsSecretRef;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CheckpointSpec that)) {
      return false;
    }
    return Objects.equals(location, that.location)
        && Objects.equals(volume, that.volume)
        && Objects.equals(credentialsSecretRef, that.credentialsSecretRef);
  }

  @Override
  public int hashCode() {
    return Objects.hash(location, volume, credentialsSecretRef);
  }

  @Override
  public String toString() {
    return "CheckpointSpec{"
        + "location="
        + location
        + ", volume="
        + volume
        + ", credentialsSecretRef="
        + credentialsSecretRef
        + "}";
  }
}
