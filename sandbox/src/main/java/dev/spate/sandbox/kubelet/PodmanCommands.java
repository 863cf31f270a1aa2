package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@code podman run} command that runs a pod's container as a kubelet with a container
 * runtime would: the pod's image (never pulled: {@code --pull=never}), its command ({@code
 * --entrypoint}) and args, the resolved env, the volumes as bind mounts, {@code limits.memory} and
 * {@code limits.cpu}, and the {@code securityContext} (Kubernetes' "Configure a Security Context"
 * task; container fields win over the pod's):
 *
 * <ul>
 *   <li>{@code runAsUser}/{@code runAsGroup} → {@code --user uid[:gid]}; {@code fsGroup} and {@code
 *       supplementalGroups} → {@code --group-add};
 *   <li>{@code runAsNonRoot} → refused when the user would be root, or is a non-numeric image user
 *       that cannot be verified (the kubelet's {@code CreateContainerConfigError});
 *   <li>{@code readOnlyRootFilesystem} → {@code --read-only --read-only-tmpfs=false} (no writable
 *       {@code /tmp} unless a volume is mounted there, as on Kubernetes);
 *   <li>{@code capabilities.drop}/{@code add} → {@code --cap-drop}/{@code --cap-add}; {@code
 *       privileged} → {@code --privileged};
 *   <li>{@code allowPrivilegeEscalation: false} → {@code --security-opt no-new-privileges};
 *   <li>{@code seccompProfile} {@code RuntimeDefault} → podman's default profile, {@code Localhost}
 *       → that profile file, {@code Unconfined} or absent → {@code seccomp=unconfined} (the kubelet
 *       runs pods without a profile unconfined unless its {@code SeccompDefault} option is on).
 * </ul>
 *
 * <p>Host networking ({@code --network host}), as the JVM kubelet: every pod's IP is 127.0.0.1.
 * Pure functions of their arguments.
 */
public final class PodmanCommands {

  /** Label holding the process id of the sandbox JVM that started a container. */
  public static final String LABEL_SANDBOX_PID = "dev.spate.sandbox.pid";

  /** Label holding the pod's {@code namespace/name}. */
  public static final String LABEL_POD = "dev.spate.sandbox.pod";

  private PodmanCommands() {}

  /**
   * A bind mount.
   *
   * @param containerPath where the container sees it
   * @param hostPath the directory or file on this machine
   * @param readOnly mounted read-only
   */
  public record Mount(String containerPath, String hostPath, boolean readOnly) {}

  /**
   * The {@code podman run} command for a pod's container (attached: the command's exit status is
   * the container's).
   *
   * @param podman the podman executable
   * @param pod the pod
   * @param container its container
   * @param name container name (unique on the machine)
   * @param env the resolved environment
   * @param mounts bind mounts
   * @param args the container's args (possibly with sandbox overrides)
   * @param sandboxPid process id of the sandbox JVM (label, for orphan clean-up)
   * @param imageUser the image's configured user ({@code Config.User}), asked only when {@code
   *     runAsNonRoot} needs it
   * @return the command
   * @throws PodStartException ({@code CreateContainerConfigError}) when {@code runAsNonRoot} cannot
   *     hold
   */
  public static List<String> run(
      String podman,
      Pod pod,
      Container container,
      String name,
      Map<String, String> env,
      List<Mount> mounts,
      List<String> args,
      long sandboxPid,
      Function<String, String> imageUser)
      throws PodStartException {
    List<String> cmd = new ArrayList<>(List.of(podman, "run", "--rm", "--pull=never"));
    cmd.addAll(List.of("--name", name, "--network", "host"));
    cmd.addAll(List.of("--label", LABEL_SANDBOX_PID + "=" + sandboxPid));
    cmd.addAll(
        List.of(
            "--label",
            LABEL_POD
                + "="
                + pod.getMetadata().getNamespace()
                + "/"
                + pod.getMetadata().getName()));
    Long grace = pod.getSpec().getTerminationGracePeriodSeconds();
    cmd.addAll(List.of("--stop-timeout", String.valueOf(grace == null ? 30 : grace)));
    cmd.addAll(securityOptions(pod, container, imageUser));
    cmd.addAll(resourceOptions(container));
    for (Mount m : mounts) {
      cmd.add("--volume");
      cmd.add(m.hostPath() + ":" + m.containerPath() + (m.readOnly() ? ":ro" : ""));
    }
    env.forEach(
        (k, v) -> {
          cmd.add("--env");
          cmd.add(k + "=" + v);
        });
    if (container.getWorkingDir() != null && !container.getWorkingDir().isEmpty()) {
      cmd.addAll(List.of("--workdir", container.getWorkingDir()));
    }
    List<String> command = container.getCommand() == null ? List.of() : container.getCommand();
    if (!command.isEmpty()) {
      cmd.addAll(List.of("--entrypoint", jsonArray(command)));
    }
    cmd.add(container.getImage());
    cmd.addAll(args);
    return cmd;
  }

  /**
   * The {@code securityContext} of a container (merged with the pod's) as podman options.
   *
   * @param pod the pod
   * @param container the container
   * @param imageUser the image's {@code Config.User}, asked only when {@code runAsNonRoot} is set
   *     without {@code runAsUser}
   * @return the options
   * @throws PodStartException when {@code runAsNonRoot} cannot hold
   */
  public static List<String> securityOptions(
      Pod pod, Container container, Function<String, String> imageUser) throws PodStartException {
    PodSecurityContext ps =
        Optional.ofNullable(pod.getSpec().getSecurityContext()).orElseGet(PodSecurityContext::new);
    SecurityContext cs =
        Optional.ofNullable(container.getSecurityContext()).orElseGet(SecurityContext::new);
    Long user = first(cs.getRunAsUser(), ps.getRunAsUser());
    Long group = first(cs.getRunAsGroup(), ps.getRunAsGroup());
    Boolean nonRoot = first(cs.getRunAsNonRoot(), ps.getRunAsNonRoot());
    List<String> out = new ArrayList<>();
    if (Boolean.TRUE.equals(nonRoot)) {
      if (user == null) {
        String configured = imageUser.apply(container.getImage());
        String uid = configured == null ? "" : configured.split(":", 2)[0];
        if (uid.isEmpty() || uid.equals("root")) {
          throw new PodStartException(
              "CreateContainerConfigError",
              "container has runAsNonRoot and image will run as root");
        }
        if (!uid.chars().allMatch(Character::isDigit)) {
          throw new PodStartException(
              "CreateContainerConfigError",
              "container has runAsNonRoot and image has non-numeric user ("
                  + uid
                  + "), cannot verify user is non-root");
        }
        if (Long.parseLong(uid) == 0) {
          throw new PodStartException(
              "CreateContainerConfigError",
              "container has runAsNonRoot and image will run as root");
        }
      } else if (user == 0) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "container's runAsUser breaks non-root policy (runAsNonRoot and runAsUser 0)");
      }
    }
    if (user != null) {
      out.addAll(List.of("--user", group == null ? String.valueOf(user) : user + ":" + group));
    } else if (group != null) {
      String configured = Optional.ofNullable(imageUser.apply(container.getImage())).orElse("");
      String u = configured.split(":", 2)[0];
      out.addAll(List.of("--user", (u.isEmpty() ? "0" : u) + ":" + group));
    }
    Set<Long> groups = new LinkedHashSet<>();
    if (ps.getFsGroup() != null) {
      groups.add(ps.getFsGroup());
    }
    if (ps.getSupplementalGroups() != null) {
      groups.addAll(ps.getSupplementalGroups());
    }
    for (Long g : groups) {
      out.addAll(List.of("--group-add", String.valueOf(g)));
    }
    if (Boolean.TRUE.equals(cs.getPrivileged())) {
      out.add("--privileged");
    }
    if (Boolean.TRUE.equals(cs.getReadOnlyRootFilesystem())) {
      out.addAll(List.of("--read-only", "--read-only-tmpfs=false"));
    }
    Capabilities caps = cs.getCapabilities();
    if (caps != null) {
      for (String c : Optional.ofNullable(caps.getDrop()).orElse(List.of())) {
        out.addAll(List.of("--cap-drop", c.toUpperCase(Locale.ROOT)));
      }
      for (String c : Optional.ofNullable(caps.getAdd()).orElse(List.of())) {
        out.addAll(List.of("--cap-add", c.toUpperCase(Locale.ROOT)));
      }
    }
    if (Boolean.FALSE.equals(cs.getAllowPrivilegeEscalation())) {
      out.addAll(List.of("--security-opt", "no-new-privileges"));
    }
    SeccompProfile seccomp = first(cs.getSeccompProfile(), ps.getSeccompProfile());
    String type = seccomp == null ? "Unconfined" : seccomp.getType();
    switch (type) {
      case "RuntimeDefault" -> {
        // podman applies its default profile
      }
      case "Localhost" ->
          out.addAll(List.of("--security-opt", "seccomp=" + seccomp.getLocalhostProfile()));
      default -> out.addAll(List.of("--security-opt", "seccomp=unconfined"));
    }
    return out;
  }

  /**
   * {@code limits.memory} → {@code --memory} (bytes, no swap), {@code limits.cpu} → {@code --cpus}.
   *
   * @param container the container
   * @return the options
   */
  public static List<String> resourceOptions(Container container) {
    List<String> out = new ArrayList<>();
    if (container.getResources() == null || container.getResources().getLimits() == null) {
      return out;
    }
    Map<String, Quantity> limits = container.getResources().getLimits();
    Quantity memory = limits.get("memory");
    if (memory != null) {
      String bytes = memory.getNumericalAmount().toBigInteger().toString();
      out.addAll(List.of("--memory", bytes, "--memory-swap", bytes));
    }
    Quantity cpu = limits.get("cpu");
    if (cpu != null) {
      BigDecimal cores = cpu.getNumericalAmount();
      out.addAll(List.of("--cpus", cores.stripTrailingZeros().toPlainString()));
    }
    return out;
  }

  /**
   * A container name for a pod: {@code spate-<namespace>-<name>-<last 12 characters of its uid>}
   * (each attempt of a pod name gets its own container), only characters podman accepts.
   *
   * @param pod the pod
   * @return the name
   */
  public static String containerName(Pod pod) {
    String uid = Optional.ofNullable(pod.getMetadata().getUid()).orElse("nouid");
    String raw =
        "spate-"
            + pod.getMetadata().getNamespace()
            + "-"
            + pod.getMetadata().getName()
            + "-"
            + uid.substring(Math.max(0, uid.length() - 12));
    return raw.replaceAll("[^a-zA-Z0-9_.-]", "-");
  }

  private static String jsonArray(List<String> items) {
    return io.fabric8.kubernetes.client.utils.Serialization.asJson(items);
  }

  private static <T> T first(T a, T b) {
    return a != null ? a : b;
  }
}
