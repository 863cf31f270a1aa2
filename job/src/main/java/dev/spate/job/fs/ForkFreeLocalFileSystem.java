package dev.spate.job.fs;

import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Hadoop's checksummed local file system ({@code LocalFileSystem}: {@code .crc} files beside the
 * data) over {@link ForkFreeRawLocalFileSystem}: the {@code FileSystem} API's implementation of the
 * {@code file} scheme (Hadoop key {@code fs.file.impl}) that creates files and directories without
 * forking {@code chmod}.
 */
public class ForkFreeLocalFileSystem extends LocalFileSystem {

  /** Creates an uninitialised file system, as Hadoop's {@code FileSystem.get} expects. */
  public ForkFreeLocalFileSystem() {
    super(new ForkFreeRawLocalFileSystem());
  }
}
