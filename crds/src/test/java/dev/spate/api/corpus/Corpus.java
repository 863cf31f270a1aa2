package dev.spate.api.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.spate.api.v1alpha1.StreamingJob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The manifest corpus on the classpath ({@code corpus/valid/*.yaml}, {@code
 * corpus/invalid/*.yaml}), shipped in the {@code spate-crds} test-jar so the operator's validator
 * tests read the same files. Each invalid manifest carries a header line {@code # expect: <text>}:
 * the violation it must produce, as {@code path: message} (a prefix or substring of it).
 */
public final class Corpus {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /**
   * One manifest.
   *
   * @param name file name, e.g. {@code flights-per-origin.yaml}
   * @param yaml the file's text
   * @param expect the {@code # expect:} text, or {@code null} for a valid manifest
   */
  public record Manifest(String name, String yaml, String expect) {

    /**
     * @return the manifest as a JSON tree
     */
    public JsonNode tree() {
      try {
        return YAML.readTree(yaml);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot parse " + name, e);
      }
    }

    /**
     * @return the manifest as a StreamingJob (fails on unknown fields)
     */
    public StreamingJob job() {
      try {
        return YAML.readValue(yaml, StreamingJob.class);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot map " + name, e);
      }
    }

    @Override
    public String toString() {
      return name;
    }
  }

  /**
   * @return the manifests the CRD accepts, by file name
   */
  public static List<Manifest> valid() {
    return load("corpus/valid");
  }

  /**
   * @return the manifests the CRD rejects, each with its expected violation, by file name
   */
  public static List<Manifest> invalid() {
    return load("corpus/invalid");
  }

  private static List<Manifest> load(String dir) {
    List<Manifest> manifests = new ArrayList<>();
    for (String name : list(dir)) {
      String resource = dir + "/" + name;
      try (InputStream in = Corpus.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException("missing " + resource);
        }
        String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        manifests.add(new Manifest(name, yaml, expectation(yaml)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (manifests.isEmpty()) {
      throw new IllegalStateException("no manifests under " + dir);
    }
    return manifests;
  }

  private static String expectation(String yaml) {
    return yaml.lines()
        .filter(l -> l.startsWith("# expect: "))
        .map(l -> l.substring("# expect: ".length()).trim())
        .findFirst()
        .orElse(null);
  }

  /** File names of the {@code .yaml} resources directly under a classpath directory. */
  private static List<String> list(String dir) {
    URL url = Corpus.class.getClassLoader().getResource(dir);
    if (url == null) {
      throw new IllegalStateException("classpath directory not found: " + dir);
    }
    List<String> names = new ArrayList<>();
    try {
      if (url.getProtocol().equals("jar")) {
        JarURLConnection connection = (JarURLConnection) url.openConnection();
        connection.setUseCaches(false);
        try (JarFile jar = connection.getJarFile()) {
          String prefix = dir + "/";
          jar.stream()
              .map(e -> e.getName())
              .filter(n -> n.startsWith(prefix) && n.endsWith(".yaml"))
              .map(n -> n.substring(prefix.length()))
              .filter(n -> !n.contains("/"))
              .forEach(names::add);
        }
      } else {
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .forEach(names::add);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    Collections.sort(names);
    return names;
  }

  private Corpus() {}
}
