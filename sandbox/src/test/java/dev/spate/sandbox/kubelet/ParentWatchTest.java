package dev.spate.sandbox.kubelet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The orphan guard: a child JVM under ParentWatch ends when its parent's end of stdin closes. */
class ParentWatchTest {

  /** A main class that would run forever. */
  public static final class Forever {
    public static void main(String[] args) throws InterruptedException {
      System.out.println("started " + String.join(",", args));
      new CountDownLatch(1).await();
    }
  }

  @Test
  void childExitsWhenTheParentsPipeCloses() throws Exception {
    String cp = System.getProperty("java.class.path");
    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    cp,
                    ParentWatch.class.getName(),
                    Forever.class.getName(),
                    "a"))
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      assertThat(new String(child.getInputStream().readNBytes("started a".length())))
          .isEqualTo("started a");
      assertThat(child.isAlive()).isTrue();

      child.getOutputStream().close(); // what the OS does to the pipe when the sandbox JVM dies

      await().atMost(Duration.ofSeconds(15)).until(() -> !child.isAlive());
      assertThat(child.exitValue()).isEqualTo(143);
    } finally {
      child.destroyForcibly();
    }
  }

  @Test
  void failuresOfTheMainClassAreTheJvmsFailures() throws Exception {
    Process child =
        new ProcessBuilder(
                List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp",
                    System.getProperty("java.class.path"),
                    ParentWatch.class.getName(),
                    "no.such.Main"))
            .redirectError(ProcessBuilder.Redirect.to(new File("/dev/null")))
            .start();
    try {
      await().atMost(Duration.ofSeconds(15)).until(() -> !child.isAlive());
      assertThat(child.exitValue()).isEqualTo(1);
    } finally {
      child.destroyForcibly();
    }
  }
}
