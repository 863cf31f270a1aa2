package dev.spate.job.fs;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFs;
import org.apache.hadoop.fs.DelegateToFileSystem;
import org.apache.hadoop.fs.FsConstants;
import org.apache.hadoop.fs.FsServerDefaults;
import org.apache.hadoop.fs.local.LocalConfigKeys;

/**
 * The {@code FileContext} API's implementation of the {@code file} scheme (Hadoop key {@code
 * fs.AbstractFileSystem.file.impl}) that Spark's default checkpoint file manager ({@code
 * FileContextBasedCheckpointFileManager}) writes offset logs, commit logs and state files with:
 * Hadoop's {@code LocalFs} (checksummed, over {@code RawLocalFs}) with {@link
 * ForkFreeRawLocalFileSystem} underneath, so creating a checkpoint file forks no {@code chmod}.
 */
public class ForkFreeLocalFs extends ChecksumFs {

  /**
   * Called by Hadoop's {@code AbstractFileSystem.get} (constructor {@code (URI, Configuration)}).
   *
   * @param uri the file system URI ({@code file:///})
   * @param conf the Hadoop configuration
   * @throws IOException as Hadoop's {@code LocalFs} does
   * @throws URISyntaxException as Hadoop's {@code LocalFs} does
   */
  public ForkFreeLocalFs(URI uri, Configuration conf) throws IOException, URISyntaxException {
    super(new Raw(uri, conf));
  }

  /** What Hadoop's {@code RawLocalFs} is, over {@link ForkFreeRawLocalFileSystem}. */
  static final class Raw extends DelegateToFileSystem {

    Raw(URI uri, Configuration conf) throws IOException, URISyntaxException {
      super(
          uri, new ForkFreeRawLocalFileSystem(), conf, FsConstants.LOCAL_FS_URI.getScheme(), false);
    }

    @Override
    public int getUriDefaultPort() {
      return -1; // local files have no port
    }

    @Override
    @SuppressWarnings("deprecation")
    public FsServerDefaults getServerDefaults() throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public FsServerDefaults getServerDefaults(org.apache.hadoop.fs.Path f) throws IOException {
      return LocalConfigKeys.getServerDefaults();
    }

    @Override
    public boolean isValidName(String src) {
      return true; // any local path name, as RawLocalFs
    }
  }
}
