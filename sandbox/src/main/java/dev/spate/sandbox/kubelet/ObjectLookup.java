package dev.spate.sandbox.kubelet;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the ConfigMaps and Secrets a pod refers to: as bytes for volumes (a kubelet writes each key
 * as a file with its exact bytes, so a binary PKCS12 or JKS keystore survives), as UTF-8 text for
 * environment variables.
 */
public interface ObjectLookup {

  /**
   * @param namespace namespace
   * @param name ConfigMap name
   * @return its {@code data} as UTF-8 plus its {@code binaryData} base64-decoded, key → bytes, or
   *     empty when absent
   */
  Optional<Map<String, byte[]>> configMapFiles(String namespace, String name);

  /**
   * @param namespace namespace
   * @param name Secret name
   * @return its {@code data} base64-decoded plus {@code stringData} as UTF-8, key → bytes, or empty
   *     when absent
   */
  Optional<Map<String, byte[]>> secretFiles(String namespace, String name);

  /**
   * @param namespace namespace
   * @param name ConfigMap name
   * @return {@link #configMapFiles} decoded as UTF-8, or empty when absent
   */
  default Optional<Map<String, String>> configMap(String namespace, String name) {
    return configMapFiles(namespace, name).map(ObjectLookup::utf8);
  }

  /**
   * @param namespace namespace
   * @param name Secret name
   * @return {@link #secretFiles} decoded as UTF-8, or empty when absent
   */
  default Optional<Map<String, String>> secret(String namespace, String name) {
    return secretFiles(namespace, name).map(ObjectLookup::utf8);
  }

  private static Map<String, String> utf8(Map<String, byte[]> files) {
    Map<String, String> text = new LinkedHashMap<>();
    files.forEach((k, v) -> text.put(k, new String(v, StandardCharsets.UTF_8)));
    return text;
  }
}
