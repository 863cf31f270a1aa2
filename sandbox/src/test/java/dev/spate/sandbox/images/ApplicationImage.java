package dev.spate.sandbox.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A bring-your-own application's image, made the way its author would make one for a cluster: a
 * Containerfile {@code FROM} the Spate Spark image that copies the application's jar in ({@code
 * COPY --chmod=644 <jar> <path>}), built with {@code podman build --pull=never --network none} (the
 * base is local, as on machines without a registry). The Spate jar comes with the base at {@code
 * /opt/spate/spate-job.jar}, where the operator's class path entries for a bring-your-own
 * application point.
 */
public final class ApplicationImage {

  private ApplicationImage() {}

  /**
   * Writes the Containerfile and the jar into {@code contextDir} and builds the image.
   *
   * @param base the image to build on, e.g. {@link StandinImages#SPARK}
   * @param jar the application jar on this machine
   * @param containerPath where the image holds the jar (absolute), e.g. {@code
   *     /opt/app/origin-counts.jar}
   * @param tag the image's name, e.g. {@code localhost/example/origin-counts:1}
   * @param contextDir an empty directory for the build context
   * @return {@code tag}
   * @throws IllegalStateException when podman fails (its output in the message)
   * @throws IOException when the build context cannot be written
   */
  public static String build(
      String base, Path jar, String containerPath, String tag, Path contextDir)
      throws IOException, InterruptedException {
    if (!containerPath.startsWith("/")) {
      throw new IllegalArgumentException("container path must be absolute: " + containerPath);
    }
    Files.createDirectories(contextDir);
    Path copy =
        Files.copy(jar, contextDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
    Path containerfile = contextDir.resolve("Containerfile");
    Files.writeString(
        containerfile,
        "FROM " + base + "\nCOPY --chmod=644 " + copy.getFileName() + " " + containerPath + "\n");
    StandinImages.podman(
        "build",
        "--pull=never",
        "--network",
        "none",
        "-q",
        "-f",
        containerfile.toString(),
        "-t",
        tag,
        contextDir.toString());
    return tag;
  }

  /**
   * Removes the image; a failure is printed, not thrown (clean-up after a test).
   *
   * @param tag the image's name
   */
  public static void remove(String tag) {
    try {
      StandinImages.podman("rmi", "--force", tag);
    } catch (IOException | RuntimeException e) {
      System.out.println("could not remove image " + tag + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
