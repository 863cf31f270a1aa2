package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.job.plugin.SparkExecutorControl;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's classes run on Spark 3.5.3's class path, which has {@code scala-collection-compat}
 * 2.7.0 (no {@code scala.jdk.javaapi}, no {@code scala.jdk.OptionConverters}), while the test class
 * path has 2.10 for the Kafka broker — so a reference to {@code scala.jdk.*} passes every other
 * test and fails at run time with {@code NoClassDefFoundError}. This scans the compiled classes'
 * constant pools (class names are stored there as {@code scala/jdk/...}).
 */
class SparkClassPathTest {

  /** Packages of {@code scala-collection-compat} whose content differs between 2.7.0 and later. */
  private static final List<String> NOT_ON_SPARKS_CLASS_PATH =
      List.of("scala/jdk/", "scala/collection/compat/");

  @Test
  void noJobClassReferencesScalaCollectionCompat() throws Exception {
    Path classes = classesDir();
    List<String> offenders = new ArrayList<>();
    int scanned = 0;
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
        scanned++;
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String pkg : NOT_ON_SPARKS_CLASS_PATH) {
          if (text.contains(pkg)) {
            offenders.add(classes.relativize(f) + " -> " + pkg);
          }
        }
      }
    }
    assertThat(scanned).as("classes scanned in %s", classes).isGreaterThan(10);
    assertThat(offenders).as("classes referencing what Spark 3.5.3's class path lacks").isEmpty();
  }

  @Test
  void theScanSeesAReferenceWhenThereIsOne() throws Exception {
    // the byte search finds a class name that SparkExecutorControl does reference
    Path f =
        classesDir().resolve(SparkExecutorControl.class.getName().replace('.', '/') + ".class");
    String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
    assertThat(text).contains("scala/collection/JavaConverters");
  }

  private static Path classesDir() throws URISyntaxException, IOException {
    Path p =
        Path.of(
            SparkExecutorControl.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(p).isDirectory(); // target/classes, not a jar
    return p;
  }
}
