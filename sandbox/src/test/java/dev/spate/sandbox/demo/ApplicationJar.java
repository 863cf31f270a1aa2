package dev.spate.sandbox.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * Builds a bring-your-own application jar the way its author's build would, without the network:
 * compiles the Java sources of a test resource directory with the JDK's compiler against the Spark
 * jars of a SPARK_HOME (nothing of Spate on the class path) and packs the classes into a jar.
 */
final class ApplicationJar {

  private ApplicationJar() {}

  /**
   * @param resourceDir test resource directory holding the sources, e.g. {@code byo-app}
   * @param sparkHome the Spark distribution whose {@code jars/} the sources compile against
   * @param jar the jar to write
   * @return {@code jar}
   * @throws IOException when reading the sources or writing the jar fails
   * @throws IllegalStateException when the sources do not compile (the compiler's messages)
   */
  static Path build(String resourceDir, Path sparkHome, Path jar) throws IOException {
    Path sources;
    try {
      sources = Path.of(ApplicationJar.class.getClassLoader().getResource(resourceDir).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("no test resource directory " + resourceDir, e);
    }
    List<String> files;
    try (Stream<Path> s = Files.walk(sources)) {
      files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
    }
    String classPath;
    try (Stream<Path> s = Files.list(sparkHome.resolve("jars"))) {
      classPath =
          s.filter(p -> p.toString().endsWith(".jar"))
              .map(Path::toString)
              .sorted()
              .collect(Collectors.joining(java.io.File.pathSeparator));
    }
    Path classes = Files.createDirectories(jar.resolveSibling(jar.getFileName() + "-classes"));
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    java.io.ByteArrayOutputStream messages = new java.io.ByteArrayOutputStream();
    List<String> options =
        new java.util.ArrayList<>(
            List.of(
                "-proc:none",
                "--release",
                "17",
                "-classpath",
                classPath,
                "-d",
                classes.toString()));
    options.addAll(files);
    int exit =
        javac.run(null, OutputStream.nullOutputStream(), messages, options.toArray(String[]::new));
    if (exit != 0) {
      throw new IllegalStateException(
          "javac exited with "
              + exit
              + ":\n"
              + messages.toString(java.nio.charset.StandardCharsets.UTF_8));
    }
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
        Stream<Path> s = Files.walk(classes)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
        out.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
        Files.copy(p, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
