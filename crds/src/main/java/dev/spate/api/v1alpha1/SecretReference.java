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
 * A Secret in the StreamingJob's namespace holding a Kafka client properties file (SASL/TLS
 * settings, e.g. {@code security.protocol}, {@code sasl.jaas.config}). The operator mounts it as a
 * file in the driver and executors and never copies its content into a ConfigMap.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"name", "key"})
public class SecretReference {

  @JsonPropertyDescription("Name of the Secret. Required.")
  @Required
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.DNS1123_SUBDOMAIN + "')",
      message =
          "kafka.clientConfigSecretRef.name must be a Kubernetes Secret name"
              + " (lower case alphanumerics, '-' and '.')")
  private String name;

  @JsonPropertyDescription(
      "Key of the Secret whose value is the properties file (spark.spate.kafka.clientPropertiesFile points at it once mounted). Default client.properties.")
  @Default(Defaults.CLIENT_CONFIG_KEY)
  @Size(max = 253)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.SECRET_KEY + "')",
      message = "kafka.clientConfigSecretRef.key must be a Secret key ([-._a-zA-Z0-9]+)")
  private String key;

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
   * Key of the Secret whose value is the properties file ({@code
   * spark.spate.kafka.clientPropertiesFile} points at it once mounted). Default {@value
   * Defaults#CLIENT_CONFIG_KEY}.
   *
   * @return the key, or {@code null} for the default
   */
  public String getKey() {
    return key;
  }

  /**
   * @param key see {@link #getKey()}
   */
  public void setKey(String key) {
    this.key = key;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof SecretReference that)) {
      return false;
    }
    return Objects.equals(name, that.name) && Objects.equals(key, that.key);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, key);
  }

  @Override
  public String toString() {
    return "SecretReference{" + "name=" + name + ", key=" + key + "}";
  }
}
