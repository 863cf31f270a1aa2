package dev.spate.job;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * The cause of a driver failure as Kubernetes shows it in {@code status.containerStatuses[].state
 * .terminated.message}: the exception class and message, then the {@code Caused by:} chain, cut at
 * {@value #MAX_BYTES} bytes (Kubernetes' limit for the termination message).
 */
public final class TerminationMessage {

  /** Kubernetes keeps at most 4096 bytes of a container's termination message. */
  public static final int MAX_BYTES = 4096;

  private TerminationMessage() {}

  /**
   * @param failure the failure; a {@link StreamingQueryException} is unwrapped to its cause
   * @return {@code <class>: <message>} lines of the cause chain, at most {@value #MAX_BYTES} UTF-8
   *     bytes
   */
  public static String describe(Throwable failure) {
    Throwable t =
        failure instanceof StreamingQueryException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    StringBuilder text = new StringBuilder();
    for (int depth = 0;
        t != null && depth < 10;
        depth++, t = t.getCause() == t ? null : t.getCause()) {
      if (depth > 0) {
        text.append("\nCaused by: ");
      }
      text.append(t.getClass().getName());
      if (t.getMessage() != null) {
        text.append(": ").append(t.getMessage());
      }
    }
    return truncate(text.toString());
  }

  /**
   * @param text any text
   * @return the longest prefix of whole characters that fits in {@value #MAX_BYTES} UTF-8 bytes
   */
  public static String truncate(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_BYTES) {
      return text;
    }
    int end = MAX_BYTES;
    while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
      end--; // do not cut a multi-byte character
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * Writes the message, replacing the file; failures to write are reported on stderr only (the
   * driver exits non-zero anyway).
   *
   * @param path file to write, e.g. {@code /dev/termination-log}
   * @param message text, cut to {@value #MAX_BYTES} bytes
   */
  public static void write(String path, String message) {
    try {
      Files.writeString(Path.of(path), truncate(message), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      System.err.println("cannot write the termination message to " + path + ": " + e);
    }
  }
}
