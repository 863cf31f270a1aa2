package dev.spate.sandbox.kubelet;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Entry point put in front of every JVM the kubelet starts: runs the real main class and ends the
 * JVM when the sandbox goes away, so no Spark process outlives it — also after {@code kill -9} of
 * the sandbox. The kubelet keeps the write end of the child's stdin open; when it dies the pipe
 * closes, this class sees end-of-file and exits the JVM (status 143, as after SIGTERM; halted if
 * shutdown hooks take more than {@value #HALT_AFTER_MS} ms).
 *
 * <p>Usage: {@code java ... dev.spate.sandbox.kubelet.ParentWatch <main class> <args...>}. Uses
 * only {@code java.base} and compiles to a single class file, which the kubelet copies onto the
 * child's class path (the sandbox's own dependencies never reach Spark's class path).
 */
public final class ParentWatch implements Runnable {

  /** Grace for shutdown hooks after the parent died, ms. */
  static final long HALT_AFTER_MS = 5_000;

  private final boolean halt;

  private ParentWatch(boolean halt) {
    this.halt = halt;
  }

  /**
   * @param args the main class to run, then its arguments
   * @throws Throwable whatever the main method throws
   */
  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: ParentWatch <main class> [args...]");
    }
    Thread watcher = new Thread(new ParentWatch(false), "sandbox-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Override
  public void run() {
    if (halt) {
      try {
        Thread.sleep(HALT_AFTER_MS);
      } catch (InterruptedException e) {
        return;
      }
      Runtime.getRuntime().halt(137);
      return;
    }
    byte[] buffer = new byte[256];
    try (InputStream in = System.in) {
      while (in.read(buffer) >= 0) {
        // the sandbox never writes; keep reading until the pipe closes
      }
    } catch (IOException e) {
      // a broken pipe means the same: the parent is gone
    }
    System.err.println("[sandbox] parent process gone: stopping this JVM");
    Thread halter = new Thread(new ParentWatch(true), "sandbox-parent-watch-halt");
    halter.setDaemon(true);
    halter.start();
    System.exit(143);
  }
}
