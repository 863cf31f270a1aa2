package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link ObjectLookup} through the Kubernetes API. */
final class ClientObjectLookup implements ObjectLookup {

  private final KubernetesClient client;

  ClientObjectLookup(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<Map<String, String>> configMap(String namespace, String name) {
    ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
    if (cm == null) {
      return Optional.empty();
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (cm.getData() != null) {
      data.putAll(cm.getData());
    }
    if (cm.getBinaryData() != null) {
      cm.getBinaryData().forEach((k, v) -> data.put(k, decode(v)));
    }
    return Optional.of(data);
  }

  @Override
  public Optional<Map<String, String>> secret(String namespace, String name) {
    Secret s = client.secrets().inNamespace(namespace).withName(name).get();
    if (s == null) {
      return Optional.empty();
    }
    Map<String, String> data = new LinkedHashMap<>();
    if (s.getData() != null) {
      s.getData().forEach((k, v) -> data.put(k, decode(v)));
    }
    if (s.getStringData() != null) {
      data.putAll(s.getStringData());
    }
    return Optional.of(data);
  }

  private static String decode(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }
}
