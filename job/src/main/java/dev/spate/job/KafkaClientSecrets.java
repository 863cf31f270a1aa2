package dev.spate.job;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;

/**
 * Kafka client settings as they may travel to executors. Spark's Kafka source and sink serialise
 * their {@code kafka.*} options into the query plan that reaches every executor, and the
 * dead-letter producer's settings travel inside the map-side closure; a password written there can
 * be read from the plan, the event log and task payloads. So each secret value is replaced by a
 * reference that the Kafka client resolves itself where it is created: Kafka's {@code
 * FileConfigProvider} (KIP-297, {@code config.providers}) reads the value from the client
 * properties file, which the operator mounts at the same path in the driver and in every executor.
 *
 * <p>A value counts as secret unless a consumer, producer or admin client configuration definition
 * ({@link ConsumerConfig#configDef()} and friends) knows the key and none gives it type {@link
 * ConfigDef.Type#PASSWORD}: so {@code sasl.jaas.config}, {@code ssl.*.password}, {@code
 * ssl.keystore.key}, {@code ssl.truststore.certificates} and any unknown key are references, while
 * {@code security.protocol}, {@code sasl.mechanism} and file locations such as {@code
 * ssl.truststore.location} stay readable. Keys of the user's own {@code config.providers} and
 * values that already hold a {@code ${...}} reference are passed as written.
 *
 * <p>Pure functions.
 */
public final class KafkaClientSecrets {

  /** The alias of Kafka's {@code FileConfigProvider} in {@code config.providers}. */
  public static final String PROVIDER = "spatefile";

  /** Kafka's key listing config providers (KIP-297). */
  static final String CONFIG_PROVIDERS = "config.providers";

  /** Kafka's file config provider: {@code ${<alias>:<file>:<key>}} is the key's value there. */
  static final String FILE_PROVIDER_CLASS =
      "org.apache.kafka.common.config.provider.FileConfigProvider";

  private static final Set<String> PUBLIC_KEYS = publicKeys();

  private KafkaClientSecrets() {}

  /**
   * @param properties the entries of a client properties file
   * @param file the file's path, the same on the driver and each executor; {@code null} when there
   *     is no file (then {@code properties} must be empty)
   * @return the entries to hand to Kafka clients created on executors: secret values as {@code
   *     ${spatefile:<file>:<key>}} plus the two {@code config.providers} entries that resolve them;
   *     {@code properties} itself when it holds no secret value
   */
  public static Map<String, String> forExecutors(Map<String, String> properties, String file) {
    Map<String, String> out = new TreeMap<>();
    boolean referenced = false;
    for (Map.Entry<String, String> e : properties.entrySet()) {
      String key = e.getKey();
      String value = e.getValue();
      if (isSecret(key) && !key.startsWith(CONFIG_PROVIDERS) && !value.contains("${")) {
        if (file == null) {
          throw new IllegalArgumentException("client properties without a file: " + key);
        }
        out.put(key, reference(file, key));
        referenced = true;
      } else {
        out.put(key, value);
      }
    }
    if (!referenced) {
      return properties;
    }
    String providers = properties.get(CONFIG_PROVIDERS);
    out.put(
        CONFIG_PROVIDERS,
        providers == null || providers.isBlank() ? PROVIDER : providers + "," + PROVIDER);
    out.put(CONFIG_PROVIDERS + "." + PROVIDER + ".class", FILE_PROVIDER_CLASS);
    return Map.copyOf(out);
  }

  /**
   * @param key a Kafka client configuration key
   * @return whether its value is kept out of serialised options (see the class comment)
   */
  public static boolean isSecret(String key) {
    return !PUBLIC_KEYS.contains(key);
  }

  /**
   * @param file the client properties file
   * @param key a key in it
   * @return Kafka's config-provider reference to that value
   */
  static String reference(String file, String key) {
    return "${" + PROVIDER + ":" + file + ":" + key + "}";
  }

  private static Set<String> publicKeys() {
    List<ConfigDef.ConfigKey> keys =
        Stream.of(
                ConsumerConfig.configDef(),
                ProducerConfig.configDef(),
                AdminClientConfig.configDef())
            .flatMap(d -> d.configKeys().values().stream())
            .toList();
    Set<String> password =
        keys.stream()
            .filter(k -> k.type == ConfigDef.Type.PASSWORD)
            .map(k -> k.name)
            .collect(Collectors.toSet());
    return keys.stream()
        .map(k -> k.name)
        .filter(k -> !password.contains(k))
        .collect(Collectors.toUnmodifiableSet());
  }
}
