package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The Kubernetes Pod Security Standards ("Pod Security Standards" page of the Kubernetes docs,
 * levels {@code baseline} and {@code restricted}, as of Kubernetes 1.32) as a pure function over a
 * pod's JSON, with the findings worded as the API server's Pod Security admission words them: a
 * reason per failed check ({@code allowPrivilegeEscalation != false}, {@code unrestricted
 * capabilities}, ...) and a detail naming the containers or volumes ({@code container "c" must set
 * securityContext.allowPrivilegeEscalation=false}).
 *
 * <p>Checked, for {@code containers}, {@code initContainers} and {@code ephemeralContainers}:
 *
 * <ul>
 *   <li>baseline: host namespaces, {@code hostPath} volumes, host ports, privileged, capabilities
 *       beyond the default set, {@code procMount}, SELinux type/user/role, seccomp {@code
 *       Unconfined}, unsafe sysctls, AppArmor {@code Unconfined} (field or annotation), Windows
 *       {@code hostProcess};
 *   <li>restricted, in addition: {@code allowPrivilegeEscalation: false}, capabilities {@code drop:
 *       [ALL]} and no {@code add} but {@code NET_BIND_SERVICE}, volume types ({@code configMap},
 *       {@code csi}, {@code downwardAPI}, {@code emptyDir}, {@code ephemeral}, {@code
 *       persistentVolumeClaim}, {@code projected}, {@code secret}), {@code runAsNonRoot: true}, no
 *       {@code runAsUser: 0}, seccomp {@code RuntimeDefault} or {@code Localhost}.
 * </ul>
 *
 * Failed checks are listed baseline first, then restricted, each in the order of the admission
 * plugin's check ids (alphabetical), as the API server lists them.
 */
public final class PodSecurityRestricted {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A Pod Security Standard level ({@code pod-security.kubernetes.io/enforce} label value). */
  public enum Level {
    /** No restriction. */
    PRIVILEGED,
    /** Known privilege escalations prevented. */
    BASELINE,
    /** Hardened pods. */
    RESTRICTED;

    /**
     * @param label the label value ({@code privileged}, {@code baseline}, {@code restricted})
     * @return the level; an unknown value is {@link #RESTRICTED}, as the admission plugin fails
     *     closed on a bad label
     */
    public static Level of(String label) {
      if (label == null) {
        return PRIVILEGED;
      }
      return switch (label.toLowerCase(Locale.ROOT)) {
        case "privileged" -> PRIVILEGED;
        case "baseline" -> BASELINE;
        default -> RESTRICTED;
      };
    }

    /**
     * @return the label value
     */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * One failed check.
   *
   * @param reason the check's short reason, e.g. {@code runAsNonRoot != true}
   * @param detail what fails it, e.g. {@code pod or container "c" must set
   *     securityContext.runAsNonRoot=true}
   */
  public record Violation(String reason, String detail) {
    @Override
    public String toString() {
      return detail.isEmpty() ? reason : reason + " (" + detail + ")";
    }
  }

  /** Capabilities a baseline container may add (the container runtime's default set). */
  static final Set<String> BASELINE_CAPABILITIES =
      Set.of(
          "AUDIT_WRITE",
          "CHOWN",
          "DAC_OVERRIDE",
          "FOWNER",
          "FSETID",
          "KILL",
          "MKNOD",
          "NET_BIND_SERVICE",
          "SETFCAP",
          "SETGID",
          "SETPCAP",
          "SETUID",
          "SYS_CHROOT");

  /** Sysctls the baseline level allows (the "safe" set). */
  static final Set<String> SAFE_SYSCTLS =
      Set.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  /** Volume types the restricted level allows. */
  static final Set<String> RESTRICTED_VOLUME_TYPES =
      Set.of(
          "configMap",
          "csi",
          "downwardAPI",
          "emptyDir",
          "ephemeral",
          "persistentVolumeClaim",
          "projected",
          "secret");

  private static final Set<String> SELINUX_TYPES =
      Set.of("", "container_t", "container_init_t", "container_kvm_t", "container_engine_t");

  private PodSecurityRestricted() {}

  /**
   * A namespace whose pods must meet the {@code restricted} level (label {@value
   * SandboxDispatcher#ENFORCE_LABEL}{@code : restricted}), as the demo and the end-to-end tests
   * create them.
   *
   * @param name the namespace's name
   * @return the namespace object
   */
  public static io.fabric8.kubernetes.api.model.Namespace restrictedNamespace(String name) {
    return new io.fabric8.kubernetes.api.model.NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(SandboxDispatcher.ENFORCE_LABEL, Level.RESTRICTED.label())
        .endMetadata()
        .build();
  }

  /**
   * Checks a pod at the {@code restricted} level.
   *
   * @param pod the pod as JSON (a {@code v1 Pod})
   * @return the failed checks; empty when the pod meets the level
   */
  public static List<Violation> check(JsonNode pod) {
    return check(pod, Level.RESTRICTED);
  }

  /**
   * Checks any Kubernetes model object holding a pod (e.g. a fabric8 {@code Pod}).
   *
   * @param pod the pod, serialised with Jackson
   * @return the failed checks at the {@code restricted} level
   */
  public static List<Violation> check(Object pod) {
    return check(JSON.valueToTree(pod), Level.RESTRICTED);
  }

  /**
   * Checks a pod at a level.
   *
   * @param pod the pod as JSON
   * @param level the level to meet
   * @return the failed checks, baseline ones first; empty when the pod meets the level
   */
  public static List<Violation> check(JsonNode pod, Level level) {
    List<Violation> out = new ArrayList<>();
    if (level == Level.PRIVILEGED) {
      return out;
    }
    JsonNode spec = pod.path("spec");
    JsonNode podSc = spec.path("securityContext");
    List<JsonNode> containers = containers(spec);
    boolean restricted = level == Level.RESTRICTED;

    // baseline, by check id: appArmorProfile, capabilities_baseline, hostNamespaces,
    // hostPathVolumes, hostPorts, hostProcess, privileged, procMount, seLinuxOptions,
    // seccompProfile_baseline, sysctls
    appArmor(pod, podSc, containers, out);
    if (!restricted) {
      List<String> details = new ArrayList<>();
      for (JsonNode c : containers) {
        Set<String> bad = new LinkedHashSet<>();
        c.path("securityContext")
            .path("capabilities")
            .path("add")
            .forEach(
                a -> {
                  if (!BASELINE_CAPABILITIES.contains(a.asText())) {
                    bad.add(a.asText());
                  }
                });
        if (!bad.isEmpty()) {
          details.add(
              "container "
                  + quote(name(c))
                  + " must not include "
                  + quoted(bad)
                  + " in securityContext.capabilities.add");
        }
      }
      add(out, "non-default capabilities", details);
    }
    List<String> hostNs = new ArrayList<>();
    for (String f : List.of("hostNetwork", "hostPID", "hostIPC")) {
      if (spec.path(f).asBoolean(false)) {
        hostNs.add(f + "=true");
      }
    }
    if (!hostNs.isEmpty()) {
      out.add(new Violation("host namespaces", String.join(", ", hostNs)));
    }
    List<String> hostPathVolumes = new ArrayList<>();
    spec.path("volumes")
        .forEach(
            v -> {
              if (v.has("hostPath")) {
                hostPathVolumes.add(v.path("name").asText());
              }
            });
    if (!hostPathVolumes.isEmpty()) {
      out.add(
          new Violation(
              "hostPath volumes",
              (hostPathVolumes.size() == 1 ? "volume " : "volumes ") + quoted(hostPathVolumes)));
    }
    List<String> hostPorts = new ArrayList<>();
    for (JsonNode c : containers) {
      List<String> ports = new ArrayList<>();
      c.path("ports")
          .forEach(
              p -> {
                if (p.path("hostPort").asInt(0) != 0) {
                  ports.add(p.path("hostPort").asText());
                }
              });
      if (!ports.isEmpty()) {
        hostPorts.add(
            "container "
                + quote(name(c))
                + " uses "
                + (ports.size() == 1 ? "hostPort " : "hostPorts ")
                + String.join(", ", ports));
      }
    }
    add(out, "hostPort", hostPorts);
    boolean podHostProcess = podSc.path("windowsOptions").path("hostProcess").asBoolean(false);
    List<String> hostProcess =
        names(
            containers,
            c -> c.path("securityContext").path("windowsOptions").path("hostProcess").asBoolean());
    if (podHostProcess || !hostProcess.isEmpty()) {
      String who =
          podHostProcess && !hostProcess.isEmpty()
              ? "pod and " + containerWord(hostProcess)
              : podHostProcess ? "pod" : containerWord(hostProcess);
      out.add(
          new Violation(
              "hostProcess",
              who + " must not set securityContext.windowsOptions.hostProcess=true"));
    }
    List<String> privileged =
        names(containers, c -> c.path("securityContext").path("privileged").asBoolean(false));
    if (!privileged.isEmpty()) {
      out.add(
          new Violation(
              "privileged",
              containerWord(privileged) + " must not set securityContext.privileged=true"));
    }
    List<String> procMount = new ArrayList<>();
    for (JsonNode c : containers) {
      String pm = c.path("securityContext").path("procMount").asText("Default");
      if (!pm.equals("Default")) {
        procMount.add(
            "container "
                + quote(name(c))
                + " must not set securityContext.procMount to "
                + quote(pm));
      }
    }
    add(out, "procMount", procMount);
    List<String> seLinux = new ArrayList<>();
    if (badSeLinux(podSc.path("seLinuxOptions"))) {
      seLinux.add("pod");
    }
    for (JsonNode c : containers) {
      if (badSeLinux(c.path("securityContext").path("seLinuxOptions"))) {
        seLinux.add("container " + quote(name(c)));
      }
    }
    if (!seLinux.isEmpty()) {
      out.add(
          new Violation(
              "seLinuxOptions",
              String.join(", ", seLinux) + " set forbidden securityContext.seLinuxOptions"));
    }
    if (!restricted) {
      seccomp(podSc, containers, false, out);
    }
    List<String> sysctls = new ArrayList<>();
    podSc
        .path("sysctls")
        .forEach(
            s -> {
              if (!SAFE_SYSCTLS.contains(s.path("name").asText())) {
                sysctls.add(s.path("name").asText());
              }
            });
    if (!sysctls.isEmpty()) {
      out.add(new Violation("forbidden sysctls", String.join(", ", sysctls)));
    }
    if (!restricted) {
      return out;
    }

    // restricted, by check id: allowPrivilegeEscalation, capabilities_restricted,
    // restrictedVolumes, runAsNonRoot, runAsUser, seccompProfile_restricted
    List<String> escalation =
        names(
            containers,
            c -> {
              JsonNode ape = c.path("securityContext").path("allowPrivilegeEscalation");
              return !(ape.isBoolean() && !ape.asBoolean());
            });
    if (!escalation.isEmpty()) {
      out.add(
          new Violation(
              "allowPrivilegeEscalation != false",
              containerWord(escalation)
                  + " must set securityContext.allowPrivilegeEscalation=false"));
    }
    List<String> capabilityDetails = new ArrayList<>();
    List<String> noDrop = new ArrayList<>();
    for (JsonNode c : containers) {
      boolean dropsAll = false;
      for (JsonNode d : c.path("securityContext").path("capabilities").path("drop")) {
        dropsAll |= d.asText().equals("ALL");
      }
      if (!dropsAll) {
        noDrop.add(name(c));
      }
    }
    if (!noDrop.isEmpty()) {
      capabilityDetails.add(
          containerWord(noDrop) + " must set securityContext.capabilities.drop=[\"ALL\"]");
    }
    for (JsonNode c : containers) {
      Set<String> added = new LinkedHashSet<>();
      c.path("securityContext")
          .path("capabilities")
          .path("add")
          .forEach(
              a -> {
                if (!a.asText().equals("NET_BIND_SERVICE")) {
                  added.add(a.asText());
                }
              });
      if (!added.isEmpty()) {
        capabilityDetails.add(
            "container "
                + quote(name(c))
                + " must not include "
                + quoted(added)
                + " in securityContext.capabilities.add");
      }
    }
    if (!capabilityDetails.isEmpty()) {
      out.add(new Violation("unrestricted capabilities", String.join("; ", capabilityDetails)));
    }
    List<String> volumeDetails = new ArrayList<>();
    for (JsonNode v : spec.path("volumes")) {
      for (Map.Entry<String, JsonNode> f : v.properties()) {
        if (!f.getKey().equals("name") && !RESTRICTED_VOLUME_TYPES.contains(f.getKey())) {
          volumeDetails.add(
              "volume "
                  + quote(v.path("name").asText())
                  + " uses restricted volume type "
                  + quote(f.getKey()));
        }
      }
    }
    add(out, "restricted volume types", volumeDetails);
    List<String> nonRoot = new ArrayList<>();
    JsonNode podNonRoot = podSc.path("runAsNonRoot");
    boolean podSaysNonRoot = podNonRoot.asBoolean(false);
    if (podNonRoot.isBoolean() && !podNonRoot.asBoolean()) {
      nonRoot.add("pod must not set securityContext.runAsNonRoot=false");
    }
    List<String> explicitRoot =
        names(
            containers,
            c -> {
              JsonNode n = c.path("securityContext").path("runAsNonRoot");
              return n.isBoolean() && !n.asBoolean();
            });
    if (!explicitRoot.isEmpty()) {
      nonRoot.add(containerWord(explicitRoot) + " must not set securityContext.runAsNonRoot=false");
    }
    if (!podSaysNonRoot) {
      List<String> unset =
          names(containers, c -> c.path("securityContext").path("runAsNonRoot").isMissingNode());
      unset.removeAll(explicitRoot);
      if (!unset.isEmpty()) {
        nonRoot.add(
            "pod or " + containerWord(unset) + " must set securityContext.runAsNonRoot=true");
      }
    }
    add(out, "runAsNonRoot != true", nonRoot);
    List<String> rootUser = new ArrayList<>();
    if (podSc.path("runAsUser").isNumber() && podSc.path("runAsUser").asLong() == 0) {
      rootUser.add("pod must not set runAsUser=0");
    }
    List<String> rootContainers =
        names(
            containers,
            c ->
                c.path("securityContext").path("runAsUser").isNumber()
                    && c.path("securityContext").path("runAsUser").asLong() == 0);
    if (!rootContainers.isEmpty()) {
      rootUser.add(containerWord(rootContainers) + " must not set runAsUser=0");
    }
    add(out, "runAsUser=0", rootUser);
    seccomp(podSc, containers, true, out);
    return out;
  }

  /**
   * The API server's message for a pod refused by Pod Security admission.
   *
   * @param podName the pod's name
   * @param level the enforced level
   * @param version the enforced version ({@code pod-security.kubernetes.io/enforce-version}, e.g.
   *     {@code latest})
   * @param violations the failed checks (at least one)
   * @return e.g. {@code pods "x" is forbidden: violates PodSecurity "restricted:latest":
   *     allowPrivilegeEscalation != false (container "c" must set
   *     securityContext.allowPrivilegeEscalation=false)}
   */
  public static String forbiddenMessage(
      String podName, Level level, String version, List<Violation> violations) {
    List<String> parts = violations.stream().map(Violation::toString).toList();
    return "pods "
        + quote(podName)
        + " is forbidden: violates PodSecurity "
        + quote(level.label() + ":" + version)
        + ": "
        + String.join(", ", parts);
  }

  private static void appArmor(
      JsonNode pod, JsonNode podSc, List<JsonNode> containers, List<Violation> out) {
    Set<String> bad = new LinkedHashSet<>();
    String podProfile = podSc.path("appArmorProfile").path("type").asText("");
    if (podProfile.equals("Unconfined")) {
      bad.add("pod");
    }
    for (JsonNode c : containers) {
      if (c.path("securityContext")
          .path("appArmorProfile")
          .path("type")
          .asText("")
          .equals("Unconfined")) {
        bad.add("container " + quote(name(c)));
      }
    }
    for (Map.Entry<String, JsonNode> a : pod.path("metadata").path("annotations").properties()) {
      String key = a.getKey();
      String value = a.getValue().asText("");
      if (key.startsWith("container.apparmor.security.beta.kubernetes.io/")
          && !value.isEmpty()
          && !value.equals("runtime/default")
          && !value.startsWith("localhost/")) {
        bad.add(key + "=" + quote(value));
      }
    }
    if (!bad.isEmpty()) {
      out.add(new Violation("forbidden AppArmor profile", String.join(", ", bad)));
    }
  }

  private static void seccomp(
      JsonNode podSc, List<JsonNode> containers, boolean restricted, List<Violation> out) {
    List<String> details = new ArrayList<>();
    String podType = podSc.path("seccompProfile").path("type").asText("");
    if (podType.equals("Unconfined")) {
      details.add("pod must not set securityContext.seccompProfile.type to \"Unconfined\"");
    }
    List<String> unconfined =
        names(
            containers,
            c ->
                c.path("securityContext")
                    .path("seccompProfile")
                    .path("type")
                    .asText("")
                    .equals("Unconfined"));
    if (!unconfined.isEmpty()) {
      details.add(
          containerWord(unconfined)
              + " must not set securityContext.seccompProfile.type to \"Unconfined\"");
    }
    if (restricted && !podType.equals("RuntimeDefault") && !podType.equals("Localhost")) {
      List<String> unset =
          names(
              containers,
              c -> c.path("securityContext").path("seccompProfile").path("type").isMissingNode());
      if (!unset.isEmpty()) {
        details.add(
            "pod or "
                + containerWord(unset)
                + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or"
                + " \"Localhost\"");
      }
    }
    add(out, "seccompProfile", details);
  }

  private static boolean badSeLinux(JsonNode options) {
    if (options.isMissingNode() || options.isNull()) {
      return false;
    }
    return !SELINUX_TYPES.contains(options.path("type").asText(""))
        || !options.path("user").asText("").isEmpty()
        || !options.path("role").asText("").isEmpty();
  }

  private static List<JsonNode> containers(JsonNode spec) {
    List<JsonNode> all = new ArrayList<>();
    for (String kind : List.of("initContainers", "containers", "ephemeralContainers")) {
      spec.path(kind).forEach(all::add);
    }
    return all;
  }

  private static List<String> names(List<JsonNode> containers, Predicate<JsonNode> test) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : containers) {
      if (test.test(c)) {
        out.add(name(c));
      }
    }
    return out;
  }

  private static String name(JsonNode container) {
    return container.path("name").asText("");
  }

  /** {@code container "a"} or {@code containers "a", "b"}, as the admission plugin says it. */
  private static String containerWord(List<String> names) {
    return (names.size() == 1 ? "container " : "containers ") + quoted(names);
  }

  private static String quoted(java.util.Collection<String> values) {
    return String.join(", ", values.stream().map(PodSecurityRestricted::quote).toList());
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }

  private static void add(List<Violation> out, String reason, List<String> details) {
    if (!details.isEmpty()) {
      out.add(new Violation(reason, String.join("; ", details)));
    }
  }
}
