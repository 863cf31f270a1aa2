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
 * A Secret in the StreamingJob's namespace holding the S3 access key pair of an {@code s3a://}
 * checkpoint. The operator passes both values as the environment variables {@code
 * AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}: on the driver pod through {@code
 * valueFrom.secretKeyRef}, on every executor through Spark's {@code
 * spark.kubernetes.executor.secretKeyRef.<ENV>=<secret>:<key>}. hadoop-aws's default credential
 * provider chain reads them ({@code EnvironmentVariableCredentialsProvider}; Hadoop's
 * "Authenticating with S3" docs, {@code fs.s3a.aws.credentials.provider}). The operator reads only
 * the Secret's key names, never its values, and never writes them into a ConfigMap, the status or a
 * log line.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "accessKeyIdKey", "secretAccessKeyKey"})
public class CheckpointCredentials {

  @JsonPropertyDescription("Name of the Secret. Required.")
  @Required
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "checkpoint.credentialsSecretRef.name must be a Kubernetes Secret name"
              + " (lower case alphanumerics, '-' and '.')")
  private String name;

  @JsonPropertyDescription(
      "Key of the Secret holding the access key id (environment variable AWS_ACCESS_KEY_ID in the driver and every executor). Default AWS_ACCESS_KEY_ID.")
  @Default(Defaults.ACCESS_KEY_ID_KEY)
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.SECRET_KEY + "')",
      message =
          "checkpoint.credentialsSecretRef.accessKeyIdKey must be a Secret key ([-._a-zA-Z0-9]+)")
  private String accessKeyIdKey;

  @JsonPropertyDescription(
      "Key of the Secret holding the secret access key (environment variable AWS_SECRET_ACCESS_KEY in the driver and every executor). Default AWS_SECRET_ACCESS_KEY.")
  @Default(Defaults.SECRET_ACCESS_KEY_KEY)
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.SECRET_KEY + "')",
      message =
          "checkpoint.credentialsSecretRef.secretAccessKeyKey must be a Secret key ([-._a-zA-Z0-9]+)")
  private String secretAccessKeyKey;

  /**
   * Name of the Secret. Required.
   *
   * @return the Secret name
   */
  public String getName() {
    return name;
  }

  /**
   * @param name see {@link #getName()}
   */
  public void setName(String name) {
    this.name = name;
  }

  /**
   * Key of the Secret holding the access key id (environment variable {@code AWS_ACCESS_KEY_ID}).
   * Default {@value Defaults#ACCESS_KEY_ID_KEY}.
   *
   * @return the key, or {@code null} for the default
   */
  public String getAccessKeyIdKey() {
    return accessKeyIdKey;
  }

  /**
   * @param accessKeyIdKey see {@link #getAccessKeyIdKey()}
   */
  public void setAccessKeyIdKey(String accessKeyIdKey) {
    this.accessKeyIdKey = accessKeyIdKey;
  }

  /**
   * Key of the Secret holding the secret access key (environment variable {@code
   * AWS_SECRET_ACCESS_KEY}). Default {@value Defaults#SECRET_ACCESS_KEY_KEY}.
   *
   * @return the key, or {@code null} for the default
   */
  public String getSecretAccessKeyKey() {
    return secretAccessKeyKey;
  }

  /**
   * @param secretAccessKeyKey see {@link #getSecretAccessKeyKey()}
   */
  public void setSecretAccessKeyKey(String secretAccessKeyKey) {
    this.secretAccessKeyKey = secretAccessKeyKey;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof CheckpointCredentials that)) {
      return false;
    }
    return Objects.equals(name, that.name)
        && Objects.equals(accessKeyIdKey, that.accessKeyIdKey)
        && Objects.equals(secretAccessKeyKey, that.secretAccessKeyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, accessKeyIdKey, secretAccessKeyKey);
  }

  @Override
  public String toString() {
    return "CheckpointCredentials{"
        + "name="
        + name
        + ", accessKeyIdKey="
        + accessKeyIdKey
        + ", secretAccessKeyKey="
        + secretAccessKeyKey
        + "}";
  }
}
