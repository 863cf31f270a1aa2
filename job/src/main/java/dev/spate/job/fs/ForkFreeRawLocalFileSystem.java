package dev.spate.job.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;

/**
 * Hadoop's raw local file system without child processes on the write path: {@link #setPermission}
 * sets the mode through {@code java.nio} instead of forking {@code chmod}, and {@link
 * #getFileLinkStatus} asks {@code java.nio} whether a path is a symbolic link instead of forking
 * {@code readlink}.
 *
 * <p>Hadoop 3.3's {@code RawLocalFileSystem} calls {@code setPermission} on every file it creates
 * and every directory it makes, and without Hadoop's native library ({@code libhadoop.so}, which
 * neither Spark's distribution nor its images ship; Spark logs "Unable to load native-hadoop
 * library") that runs {@code chmod} as a child process; every {@code FileContext} rename reads the
 * link status of source and destination with {@code readlink}. A micro-batch on a {@code file://}
 * checkpoint writes and renames an offset log entry, a commit log entry and one state file per
 * state partition, each with its {@code .crc} file. With the native library present, for a mode
 * {@code java.nio} cannot set (the sticky bit, a file system without POSIX attributes), and for a
 * path that is a symbolic link, Hadoop's own code runs.
 */
public class ForkFreeRawLocalFileSystem extends RawLocalFileSystem {

  /** Creates an uninitialised file system, as Hadoop's {@code FileSystem.get} expects. */
  public ForkFreeRawLocalFileSystem() {
    super();
  }

  /**
   * Sets the permission bits of a file or directory, as {@code chmod} would.
   *
   * @param p the path (scheme {@code file})
   * @param permission the mode; only its user, group and other bits are applied here
   * @throws IOException when the file does not exist or the mode cannot be set
   */
  @Override
  public void setPermission(Path p, FsPermission permission) throws IOException {
    if (NativeIO.isAvailable() || permission.getStickyBit()) {
      super.setPermission(p, permission);
      return;
    }
    try {
      Files.setPosixFilePermissions(pathToFile(p).toPath(), posix(permission));
    } catch (UnsupportedOperationException notPosix) {
      super.setPermission(p, permission);
    }
  }

  /**
   * The status of a path without following a symbolic link: for a path that is not one, its {@link
   * #getFileStatus} (what Hadoop returns once {@code readlink} printed nothing).
   *
   * @param f the path
   * @return its status
   * @throws java.io.FileNotFoundException when nothing is at {@code f}
   * @throws IOException when the status cannot be read
   */
  @Override
  public FileStatus getFileLinkStatus(Path f) throws IOException {
    if (Files.isSymbolicLink(pathToFile(f).toPath())) {
      return super.getFileLinkStatus(f);
    }
    return getFileStatus(f);
  }

  /**
   * @param permission a Hadoop mode
   * @return the same user, group and other bits as {@code java.nio} permissions
   */
  static Set<PosixFilePermission> posix(FsPermission permission) {
    Set<PosixFilePermission> s = EnumSet.noneOf(PosixFilePermission.class);
    add(
        s,
        permission.getUserAction(),
        PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.OWNER_EXECUTE);
    add(
        s,
        permission.getGroupAction(),
        PosixFilePermission.GROUP_READ,
        PosixFilePermission.GROUP_WRITE,
        PosixFilePermission.GROUP_EXECUTE);
    add(
        s,
        permission.getOtherAction(),
        PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE,
        PosixFilePermission.OTHERS_EXECUTE);
    return s;
  }

  private static void add(
      Set<PosixFilePermission> s,
      FsAction a,
      PosixFilePermission read,
      PosixFilePermission write,
      PosixFilePermission execute) {
    if (a.implies(FsAction.READ)) {
      s.add(read);
    }
    if (a.implies(FsAction.WRITE)) {
      s.add(write);
    }
    if (a.implies(FsAction.EXECUTE)) {
      s.add(execute);
    }
  }
}
