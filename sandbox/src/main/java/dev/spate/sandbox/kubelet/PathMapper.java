package dev.spate.sandbox.kubelet;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps paths as a container sees them (volume mount paths, the termination message path, the
 * image's {@code /opt/spark}) to directories on this machine, and rewrites strings that contain
 * them — arguments, environment values, Spark properties such as {@code
 * spark.spate.checkpoint.location=file:///checkpoints/job}. The longest container path wins; a
 * container path only matches as a whole path segment sequence that starts the path (so {@code
 * /data} does not match inside {@code /var/data} or {@code /database}).
 *
 * <p>Immutable; a pure function of its mappings.
 */
public final class PathMapper {

  private final List<Map.Entry<String, String>> mappings;
  private final List<Pattern> patterns;

  private PathMapper(Map<String, String> containerToHost) {
    List<Map.Entry<String, String>> sorted = new ArrayList<>(containerToHost.entrySet());
    sorted.sort(
        Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    this.mappings = List.copyOf(sorted);
    List<Pattern> ps = new ArrayList<>();
    for (Map.Entry<String, String> e : mappings) {
      ps.add(
          Pattern.compile(
              "(?:(?<=://)|(?<![\\w.\\-/]))" + Pattern.quote(e.getKey()) + "(?=/|$|[^\\w.\\-])"));
    }
    this.patterns = List.copyOf(ps);
  }

  /**
   * @param containerToHost absolute container path (no trailing slash) to absolute host path
   * @return the mapper
   * @throws IllegalArgumentException when a container path is not absolute
   */
  public static PathMapper of(Map<String, String> containerToHost) {
    Map<String, String> clean = new LinkedHashMap<>();
    containerToHost.forEach(
        (c, h) -> {
          if (!c.startsWith("/")) {
            throw new IllegalArgumentException("container path must be absolute: " + c);
          }
          String key = c.length() > 1 && c.endsWith("/") ? c.substring(0, c.length() - 1) : c;
          clean.put(key, h.length() > 1 && h.endsWith("/") ? h.substring(0, h.length() - 1) : h);
        });
    return new PathMapper(clean);
  }

  /**
   * Rewrites every mapped container path found in {@code text} (at a position where a path can
   * start: string start, after {@code =}, {@code :}, {@code ,}, space, {@code file://} …).
   *
   * @param text any string, may be null
   * @return the rewritten string (null stays null)
   */
  public String rewrite(String text) {
    if (text == null || mappings.isEmpty()) {
      return text;
    }
    // one pass per mapping, longest first; a replaced host path is absolute and never re-matched
    // by a shorter container path because it is preceded by a path character ('/' lookbehind).
    StringBuilder out = new StringBuilder();
    int i = 0;
    outer:
    while (i < text.length()) {
      for (int m = 0; m < mappings.size(); m++) {
        Matcher matcher = patterns.get(m).matcher(text);
        matcher.region(i, text.length());
        matcher.useTransparentBounds(true);
        if (matcher.lookingAt()) {
          out.append(mappings.get(m).getValue());
          i = matcher.end();
          continue outer;
        }
      }
      out.append(text.charAt(i));
      i++;
    }
    return out.toString();
  }

  /**
   * @param containerPath an absolute container path
   * @return the host path it maps to, or empty when no mapping covers it
   */
  public java.util.Optional<Path> resolve(String containerPath) {
    String rewritten = rewrite(containerPath);
    return rewritten.equals(containerPath)
        ? java.util.Optional.empty()
        : java.util.Optional.of(Path.of(rewritten));
  }

  /**
   * @return the mappings, longest container path first
   */
  public List<Map.Entry<String, String>> mappings() {
    return mappings;
  }
}
