package dev.spate.sandbox.kubelet;

import java.util.Map;
import java.util.Optional;

/** Reads the ConfigMaps and Secrets a pod refers to (env and volumes). */
public interface ObjectLookup {

  /**
   * @param namespace namespace
   * @param name ConfigMap name
   * @return its {@code data} plus {@code binaryData} decoded as UTF-8, or empty when absent
   */
  Optional<Map<String, String>> configMap(String namespace, String name);

  /**
   * @param namespace namespace
   * @param name Secret name
   * @return its {@code data} base64-decoded plus {@code stringData}, or empty when absent
   */
  Optional<Map<String, String>> secret(String namespace, String name);
}
