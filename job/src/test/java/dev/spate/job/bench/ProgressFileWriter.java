package dev.spate.job.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * A {@code spark.sql.streaming.streamingQueryListeners} entry for benchmarks in a child JVM:
 * appends each micro-batch's progress as one JSON line ({@code StreamingQueryProgress.json()}) to
 * the file named by the system property {@value #FILE_PROPERTY}.
 */
public final class ProgressFileWriter extends StreamingQueryListener {

  /** System property: the file the progress lines go to. */
  public static final String FILE_PROPERTY = "bench.progressFile";

  private final Path file = Path.of(System.getProperty(FILE_PROPERTY));

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryProgress(QueryProgressEvent event) {
    try {
      Files.writeString(
          file,
          event.progress().json().replace('\n', ' ') + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}
}
