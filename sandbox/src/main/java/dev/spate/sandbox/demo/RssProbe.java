package dev.spate.sandbox.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/** Resident set size of processes, from Linux's {@code /proc/<pid>/status} ({@code VmRSS}). */
public final class RssProbe {

  private RssProbe() {}

  /**
   * @param pids process ids
   * @return the summed resident set size in bytes of those still alive (0 where unreadable)
   */
  public static long totalRssBytes(Collection<Long> pids) {
    long total = 0;
    for (long pid : pids) {
      total += rssBytes(pid);
    }
    return total;
  }

  /**
   * @param pid a process id
   * @return its resident set size in bytes, 0 when it is gone or /proc is unavailable
   */
  public static long rssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          String[] parts = line.substring(6).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    return 0;
  }
}
