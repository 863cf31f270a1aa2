package dev.spate.sandbox.kubelet;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Lays out a pod's volumes on this machine and returns the {@link PathMapper} from the container's
 * mount paths to them: {@code configMap}, {@code secret} and {@code projected} (configMap/secret
 * sources) become files in {@code <pod>/volumes/<volume>/} (keys as file names, or {@code
 * items[].path}); {@code emptyDir} an empty per-pod directory; {@code persistentVolumeClaim} a
 * directory per claim shared by every pod, {@code <run>/volumes/pvc/<namespace>/<claim>/}
 * (ReadWriteMany, like an NFS-backed claim); {@code hostPath} a shared directory {@code
 * <run>/volumes/hostpath/<path>/}. {@code subPath} is honoured. The container's {@code
 * terminationMessagePath} (default {@code /dev/termination-log}) maps to the workspace's
 * termination log, and the image's files (e.g. {@code /opt/spark}, the Spark image's {@code
 * SPARK_HOME}) to the sandbox's copies unless a volume is mounted at or above them.
 */
public final class VolumeMapper {

  /** {@code SPARK_HOME} inside the official Spark image. */
  public static final String IMAGE_SPARK_HOME = "/opt/spark";

  /** Kubernetes' default {@code terminationMessagePath}. */
  public static final String DEFAULT_TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  private VolumeMapper() {}

  /**
   * @param pod the pod
   * @param container its (first) container
   * @param workspace the pod's workspace
   * @param runDir the sandbox run directory (shared volumes live under it)
   * @param image the "image" files: container path → host path (e.g. {@code /opt/spark} → the Spark
   *     distribution), hidden by a volume mounted at or above them
   * @param lookup ConfigMap/Secret reader
   * @return container path → host path mapping
   * @throws PodStartException when a referenced ConfigMap/Secret is missing (and not optional), a
   *     mount names an unknown volume or the volume type is unsupported
   */
  public static PathMapper materialize(
      Pod pod,
      Container container,
      PodWorkspace workspace,
      Path runDir,
      Map<String, Path> image,
      ObjectLookup lookup)
      throws PodStartException {
    String ns = pod.getMetadata().getNamespace();
    Map<String, Path> volumeDirs = new LinkedHashMap<>();
    List<Volume> volumes =
        pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    try {
      for (Volume v : volumes) {
        volumeDirs.put(v.getName(), layOut(v, ns, workspace, runDir, lookup));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> mapping = new LinkedHashMap<>();
    if (container.getVolumeMounts() != null) {
      for (VolumeMount m : container.getVolumeMounts()) {
        Path dir = volumeDirs.get(m.getName());
        if (dir == null) {
          throw new PodStartException(
              "CreateContainerConfigError",
              "volumeMount " + m.getMountPath() + " refers to unknown volume " + m.getName());
        }
        if (m.getSubPath() != null && !m.getSubPath().isEmpty()) {
          dir = dir.resolve(m.getSubPath());
          try {
            if (!Files.exists(dir)) {
              Files.createDirectories(dir);
            }
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        mapping.put(m.getMountPath(), dir.toAbsolutePath().toString());
      }
    }
    String terminationPath =
        Optional.ofNullable(container.getTerminationMessagePath())
            .orElse(DEFAULT_TERMINATION_MESSAGE_PATH);
    mapping.put(terminationPath, workspace.terminationLog().toAbsolutePath().toString());
    Map<String, String> mounts = Map.copyOf(mapping);
    image.forEach(
        (imagePath, host) -> {
          boolean hidden =
              mounts.keySet().stream()
                  .anyMatch(
                      m ->
                          imagePath.equals(m)
                              || imagePath.startsWith(m.endsWith("/") ? m : m + "/"));
          if (!hidden) {
            mapping.putIfAbsent(imagePath, host.toAbsolutePath().toString());
          }
        });
    return PathMapper.of(mapping);
  }

  private static Path layOut(
      Volume v, String ns, PodWorkspace workspace, Path runDir, ObjectLookup lookup)
      throws IOException, PodStartException {
    Path podVolume = workspace.volume(v.getName());
    if (v.getConfigMap() != null) {
      Optional<Map<String, byte[]>> data = lookup.configMapFiles(ns, v.getConfigMap().getName());
      if (data.isEmpty() && !Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "configmap \""
                + v.getConfigMap().getName()
                + "\" not found (volume "
                + v.getName()
                + ")");
      }
      recreate(podVolume);
      writeItems(podVolume, data.orElse(Map.of()), v.getConfigMap().getItems());
      return podVolume;
    }
    if (v.getSecret() != null) {
      Optional<Map<String, byte[]>> data = lookup.secretFiles(ns, v.getSecret().getSecretName());
      if (data.isEmpty() && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
        throw new PodStartException(
            "CreateContainerConfigError",
            "secret \""
                + v.getSecret().getSecretName()
                + "\" not found (volume "
                + v.getName()
                + ")");
      }
      recreate(podVolume);
      writeItems(podVolume, data.orElse(Map.of()), v.getSecret().getItems());
      return podVolume;
    }
    if (v.getProjected() != null) {
      recreate(podVolume);
      for (VolumeProjection p : v.getProjected().getSources()) {
        if (p.getConfigMap() != null) {
          Optional<Map<String, byte[]>> data =
              lookup.configMapFiles(ns, p.getConfigMap().getName());
          if (data.isEmpty() && !Boolean.TRUE.equals(p.getConfigMap().getOptional())) {
            throw new PodStartException(
                "CreateContainerConfigError",
                "configmap \""
                    + p.getConfigMap().getName()
                    + "\" not found (volume "
                    + v.getName()
                    + ")");
          }
          writeItems(podVolume, data.orElse(Map.of()), p.getConfigMap().getItems());
        } else if (p.getSecret() != null) {
          Optional<Map<String, byte[]>> data = lookup.secretFiles(ns, p.getSecret().getName());
          if (data.isEmpty() && !Boolean.TRUE.equals(p.getSecret().getOptional())) {
            throw new PodStartException(
                "CreateContainerConfigError",
                "secret \""
                    + p.getSecret().getName()
                    + "\" not found (volume "
                    + v.getName()
                    + ")");
          }
          writeItems(podVolume, data.orElse(Map.of()), p.getSecret().getItems());
        }
        // serviceAccountToken and downwardAPI sources: nothing to authenticate against here
      }
      return podVolume;
    }
    if (v.getEmptyDir() != null) {
      Files.createDirectories(podVolume);
      return podVolume;
    }
    if (v.getPersistentVolumeClaim() != null) {
      Path shared =
          runDir
              .resolve("volumes")
              .resolve("pvc")
              .resolve(ns)
              .resolve(v.getPersistentVolumeClaim().getClaimName());
      Files.createDirectories(shared);
      return shared;
    }
    if (v.getHostPath() != null) {
      String path = v.getHostPath().getPath().replaceFirst("^/+", "");
      Path shared =
          runDir.resolve("volumes").resolve("hostpath").resolve(path.isEmpty() ? "root" : path);
      Files.createDirectories(shared);
      return shared;
    }
    throw new PodStartException(
        "CreateContainerConfigError",
        "volume "
            + v.getName()
            + ": only configMap, secret, projected, emptyDir, persistentVolumeClaim and "
            + "hostPath volumes are supported by the sandbox kubelet");
  }

  /** Writes each key as a file with its exact bytes, as a kubelet does. */
  private static void writeItems(Path dir, Map<String, byte[]> data, List<KeyToPath> items)
      throws IOException {
    if (items == null || items.isEmpty()) {
      for (Map.Entry<String, byte[]> e : data.entrySet()) {
        Files.write(dir.resolve(e.getKey()), e.getValue());
      }
      return;
    }
    for (KeyToPath item : items) {
      byte[] value = data.get(item.getKey());
      if (value == null) {
        continue;
      }
      Path file = dir.resolve(item.getPath());
      Files.createDirectories(file.getParent());
      Files.write(file, value);
    }
  }

  private static void recreate(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> walk = Files.walk(dir)) {
        for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
    Files.createDirectories(dir);
  }
}
