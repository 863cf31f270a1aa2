package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves a container's environment as the kubelet does
 * (https://kubernetes.io/docs/tasks/inject-data-application/): {@code envFrom} first, then {@code
 * env} in order; {@code value} with {@code $(VAR)} references to variables defined before it
 * ({@code $$} escapes); {@code fieldRef} on {@code metadata.name|namespace|uid}, {@code
 * metadata.labels['k']}, {@code metadata.annotations['k']}, {@code spec.nodeName}, {@code
 * spec.serviceAccountName} and {@code status.podIP|hostIP} (always {@code 127.0.0.1}: every pod of
 * the sandbox shares the loopback address); {@code resourceFieldRef} on the container's
 * requests/limits (memory in bytes, cpu in whole cores rounded up); {@code configMapKeyRef} and
 * {@code secretKeyRef}.
 */
public final class EnvResolver {

  /** The IP address every sandbox pod reports as {@code status.podIP}. */
  public static final String POD_IP = "127.0.0.1";

  /** The node name the sandbox kubelet reports. */
  public static final String NODE_NAME = "sandbox";

  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\$|\\$\\(([A-Za-z_][A-Za-z0-9_.\\-]*)\\)");
  private static final Pattern MAP_FIELD =
      Pattern.compile("metadata\\.(labels|annotations)\\['(.+)'\\]");

  private EnvResolver() {}

  /**
   * @param pod the pod
   * @param container the container
   * @param lookup ConfigMap/Secret reader
   * @return variable name → value, in definition order
   * @throws PodStartException when a non-optional ConfigMap/Secret or key is missing, or a fieldRef
   *     path is not supported
   */
  public static Map<String, String> resolve(Pod pod, Container container, ObjectLookup lookup)
      throws PodStartException {
    String ns = pod.getMetadata().getNamespace();
    Map<String, String> env = new LinkedHashMap<>();
    if (container.getEnvFrom() != null) {
      for (EnvFromSource from : container.getEnvFrom()) {
        String prefix = from.getPrefix() == null ? "" : from.getPrefix();
        Optional<Map<String, String>> data = Optional.empty();
        boolean optional = false;
        String what = "";
        if (from.getConfigMapRef() != null) {
          data = lookup.configMap(ns, from.getConfigMapRef().getName());
          optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
          what = "configmap \"" + from.getConfigMapRef().getName() + "\"";
        } else if (from.getSecretRef() != null) {
          data = lookup.secret(ns, from.getSecretRef().getName());
          optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
          what = "secret \"" + from.getSecretRef().getName() + "\"";
        }
        if (data.isEmpty() && !optional) {
          throw new PodStartException("CreateContainerConfigError", what + " not found (envFrom)");
        }
        data.orElse(Map.of()).forEach((k, v) -> env.put(prefix + k, v));
      }
    }
    List<EnvVar> vars = container.getEnv() == null ? List.of() : container.getEnv();
    for (EnvVar var : vars) {
      if (var.getValueFrom() == null) {
        env.put(var.getName(), expand(var.getValue() == null ? "" : var.getValue(), env));
      } else {
        String value = valueFrom(var.getName(), var.getValueFrom(), pod, container, lookup);
        if (value != null) {
          env.put(var.getName(), value);
        }
      }
    }
    return env;
  }

  /**
   * Expands {@code $(VAR)} references to defined variables; undefined references stay as written
   * and {@code $$} becomes {@code $}, as the kubelet does.
   *
   * @param value the raw value
   * @param defined variables defined so far
   * @return the expanded value
   */
  static String expand(String value, Map<String, String> defined) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$$")) {
        replacement = "$";
      } else {
        replacement = defined.getOrDefault(m.group(1), m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String valueFrom(
      String name, EnvVarSource from, Pod pod, Container container, ObjectLookup lookup)
      throws PodStartException {
    String ns = pod.getMetadata().getNamespace();
    if (from.getFieldRef() != null) {
      return field(name, from.getFieldRef().getFieldPath(), pod);
    }
    if (from.getResourceFieldRef() != null) {
      return resource(from.getResourceFieldRef().getResource(), container);
    }
    if (from.getConfigMapKeyRef() != null) {
      var ref = from.getConfigMapKeyRef();
      String value = lookup.configMap(ns, ref.getName()).map(d -> d.get(ref.getKey())).orElse(null);
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "env "
                + name
                + ": key "
                + ref.getKey()
                + " of configmap \""
                + ref.getName()
                + "\" not found");
      }
      return value;
    }
    if (from.getSecretKeyRef() != null) {
      var ref = from.getSecretKeyRef();
      String value = lookup.secret(ns, ref.getName()).map(d -> d.get(ref.getKey())).orElse(null);
      if (value == null && !Boolean.TRUE.equals(ref.getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "env "
                + name
                + ": key "
                + ref.getKey()
                + " of secret \""
                + ref.getName()
                + "\" not found");
      }
      return value;
    }
    return null;
  }

  private static String field(String name, String path, Pod pod) throws PodStartException {
    switch (path) {
      case "metadata.name":
        return pod.getMetadata().getName();
      case "metadata.namespace":
        return pod.getMetadata().getNamespace();
      case "metadata.uid":
        return pod.getMetadata().getUid();
      case "spec.nodeName":
        return NODE_NAME;
      case "spec.serviceAccountName":
        return pod.getSpec().getServiceAccountName() == null
            ? "default"
            : pod.getSpec().getServiceAccountName();
      case "status.podIP":
      case "status.podIPs":
      case "status.hostIP":
      case "status.hostIPs":
        return POD_IP;
      default:
        Matcher m = MAP_FIELD.matcher(path);
        if (m.matches()) {
          Map<String, String> map =
              m.group(1).equals("labels")
                  ? pod.getMetadata().getLabels()
                  : pod.getMetadata().getAnnotations();
          return map == null ? "" : map.getOrDefault(m.group(2), "");
        }
        throw new PodStartException(
            "CreateContainerConfigError",
            "env " + name + ": fieldRef " + path + " is not supported");
    }
  }

  private static String resource(String resource, Container container) {
    var resources = container.getResources();
    Map<String, Quantity> limits =
        resources == null || resources.getLimits() == null ? Map.of() : resources.getLimits();
    Map<String, Quantity> requests =
        resources == null || resources.getRequests() == null ? Map.of() : resources.getRequests();
    String[] parts = resource.split("\\.", 2);
    Map<String, Quantity> source = parts[0].equals("requests") ? requests : limits;
    Quantity q = parts.length > 1 ? source.get(parts[1]) : null;
    if (q == null && parts.length > 1) {
      q = requests.get(parts[1]);
    }
    if (q == null) {
      return "0";
    }
    if (parts[1].equals("cpu")) {
      return String.valueOf(
          q.getNumericalAmount().setScale(0, java.math.RoundingMode.CEILING).longValueExact());
    }
    return q.getNumericalAmount().toBigInteger().toString();
  }
}
