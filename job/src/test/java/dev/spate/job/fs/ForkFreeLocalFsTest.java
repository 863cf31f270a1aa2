package dev.spate.job.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.job.SparkDefaults;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.CreateFlag;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fork-free local file systems behave as Hadoop's own ({@code LocalFs}, {@code
 * LocalFileSystem}) on what Spark's checkpoint file manager does (mkdir, create, atomic rename,
 * exists, read, list, delete) and start no child process, where Hadoop's own start several ({@code
 * jdk.ProcessStart} events of a JFR recording).
 */
class ForkFreeLocalFsTest {

  @TempDir java.nio.file.Path dir;

  /** What one checkpoint file costs Spark: a directory, a temp file, a rename over nothing. */
  private static List<Set<PosixFilePermission>> checkpointWrite(FileContext fc, Path root)
      throws IOException {
    Path offsets = new Path(root, "offsets");
    fc.mkdir(offsets, FsPermission.getDirDefault(), true);
    Path tmp = new Path(offsets, ".0.tmp");
    try (FSDataOutputStream out =
        fc.create(tmp, EnumSet.of(CreateFlag.CREATE, CreateFlag.OVERWRITE))) {
      out.write("v1\n{}".getBytes(StandardCharsets.UTF_8));
    }
    Path done = new Path(offsets, "0");
    fc.rename(tmp, done, Options.Rename.NONE);
    assertThat(fc.util().exists(done)).isTrue();
    assertThat(fc.util().exists(tmp)).isFalse();
    try (var in = fc.open(done)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("v1\n{}");
    }
    assertThat(fc.util().listStatus(offsets)).extracting(s -> s.getPath().getName()).contains("0");
    return List.of(
        Files.getPosixFilePermissions(java.nio.file.Path.of(offsets.toUri())),
        Files.getPosixFilePermissions(java.nio.file.Path.of(done.toUri())));
  }

  private static Configuration conf(boolean forkFree, String umask) {
    Configuration c = new Configuration();
    c.set("fs.permissions.umask-mode", umask);
    if (forkFree) {
      SparkDefaults.DEFAULTS.forEach(
          (k, v) -> {
            if (k.startsWith("spark.hadoop.")) {
              c.set(k.substring("spark.hadoop.".length()), v);
            }
          });
    }
    return c;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  /**
   * @return the command lines of the child processes the JVM started while {@code action} ran
   */
  private List<String> processesStartedBy(IoAction action) throws Exception {
    java.nio.file.Path jfr = dir.resolve("p.jfr");
    try (Recording r = new Recording()) {
      r.enable("jdk.ProcessStart");
      r.start();
      action.run();
      r.stop();
      r.dump(jfr);
    }
    List<String> commands = new ArrayList<>();
    for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
      commands.add(e.getString("command"));
    }
    return commands;
  }

  @Test
  void checkpointFilesAreWrittenAsHadoopWritesThemWithoutChildProcesses() throws Exception {
    assertThat(NativeIO.isAvailable())
        .as("Hadoop's native library is absent here, as in Spark's images")
        .isFalse();
    for (String umask : List.of("022", "077")) {
      FileContext stock = FileContext.getFileContext(URI.create("file:///"), conf(false, umask));
      FileContext forkFree = FileContext.getFileContext(URI.create("file:///"), conf(true, umask));
      assertThat(forkFree.getDefaultFileSystem()).isInstanceOf(ForkFreeLocalFs.class);

      List<List<Set<PosixFilePermission>>> modes = new ArrayList<>();
      List<String> stockProcesses =
          processesStartedBy(
              () -> modes.add(checkpointWrite(stock, new Path(dir.toUri() + "stock-" + umask))));
      List<String> forkFreeProcesses =
          processesStartedBy(
              () ->
                  modes.add(
                      checkpointWrite(forkFree, new Path(dir.toUri() + "forkfree-" + umask))));

      // the check can fail: Hadoop's own forks chmod (create, mkdir) and readlink (rename)
      assertThat(stockProcesses).anyMatch(c -> c.contains("chmod"));
      assertThat(stockProcesses).anyMatch(c -> c.contains("readlink"));
      assertThat(forkFreeProcesses).isEmpty();
      assertThat(modes.get(1)).isEqualTo(modes.get(0));
      assertThat(modes.get(1).get(1))
          .isEqualTo(
              PosixFilePermissions.fromString(umask.equals("022") ? "rw-r--r--" : "rw-------"));
      // checksummed as Hadoop's LocalFs: a .crc beside each file
      assertThat(dir.resolve("forkfree-" + umask).resolve("offsets").resolve(".0.crc")).exists();
    }
  }

  @Test
  void renameOntoAnExistingFileFailsAsHadoopsDoes() throws Exception {
    FileContext fc = FileContext.getFileContext(URI.create("file:///"), conf(true, "022"));
    Path a = new Path(dir.toUri() + "a");
    Path b = new Path(dir.toUri() + "b");
    fc.create(a, EnumSet.of(CreateFlag.CREATE)).close();
    fc.create(b, EnumSet.of(CreateFlag.CREATE)).close();
    assertThatThrownBy(() -> fc.rename(a, b, Options.Rename.NONE))
        .isInstanceOf(FileAlreadyExistsException.class);
    fc.rename(a, b, Options.Rename.OVERWRITE);
    assertThat(fc.util().exists(a)).isFalse();
  }

  @Test
  void linkStatusIsHadoopsForLinksFilesAndMissingPaths() throws Exception {
    java.nio.file.Path target = Files.writeString(dir.resolve("target"), "x");
    java.nio.file.Path link = Files.createSymbolicLink(dir.resolve("link"), target);
    ForkFreeRawLocalFileSystem forkFree = new ForkFreeRawLocalFileSystem();
    RawLocalFileSystem stock = new RawLocalFileSystem();
    forkFree.initialize(URI.create("file:///"), new Configuration());
    stock.initialize(URI.create("file:///"), new Configuration());
    for (java.nio.file.Path p : List.of(link, target)) {
      FileStatus ours = forkFree.getFileLinkStatus(new Path(p.toUri()));
      FileStatus theirs = stock.getFileLinkStatus(new Path(p.toUri()));
      assertThat(ours.isSymlink()).as(p.toString()).isEqualTo(theirs.isSymlink());
      assertThat(ours.getPath()).isEqualTo(theirs.getPath());
      assertThat(ours.getLen()).isEqualTo(theirs.getLen());
      assertThat(ours.isSymlink() ? ours.getSymlink() : null)
          .isEqualTo(theirs.isSymlink() ? theirs.getSymlink() : null);
    }
    Path none = new Path(dir.resolve("none").toUri());
    assertThatThrownBy(() -> stock.getFileLinkStatus(none))
        .isInstanceOf(java.io.FileNotFoundException.class);
    assertThatThrownBy(() -> forkFree.getFileLinkStatus(none))
        .isInstanceOf(java.io.FileNotFoundException.class);
  }

  @Test
  void theFileSystemApiSetsModesWithoutChildProcesses() throws Exception {
    FileSystem fs = FileSystem.newInstance(URI.create("file:///"), conf(true, "022"));
    try {
      assertThat(fs).isInstanceOf(ForkFreeLocalFileSystem.class);
      Path file = new Path(dir.toUri() + "f");
      List<String> started =
          processesStartedBy(
              () -> {
                fs.create(file, false).close();
                fs.setPermission(file, new FsPermission((short) 0640));
                fs.mkdirs(new Path(dir.toUri() + "d/e"), new FsPermission((short) 0750));
              });
      assertThat(started).isEmpty();
      assertThat(Files.getPosixFilePermissions(dir.resolve("f")))
          .isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
      assertThat(Files.getPosixFilePermissions(dir.resolve("d/e")))
          .isEqualTo(PosixFilePermissions.fromString("rwxr-x---"));
    } finally {
      fs.close();
    }
  }
}
