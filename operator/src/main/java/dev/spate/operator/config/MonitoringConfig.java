package dev.spate.operator.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The operator process's monitoring options, read like {@link OperatorConfig} (system property
 * {@code <key>}, else environment variable {@code <ENV>}, else the default). Only the process
 * ({@code Main}) uses them; an operator embedded in another JVM (tests, the sandbox) has neither
 * the HTTP endpoints nor the log format.
 *
 * @param port TCP port of {@code /metrics}, {@code /healthz} and {@code /readyz} (all interfaces);
 *     {@code 0} = any free port
 * @param logFormat {@code text} or {@code json} (one JSON object per line)
 */
public record MonitoringConfig(int port, LogFormat logFormat) {

  /** Log line format of the operator process. */
  public enum LogFormat {
    /** One human-readable line per event: time, level, thread, logger, job, message. */
    TEXT,
    /** One JSON object per line (logback's {@code JsonEncoder}), MDC keys included. */
    JSON
  }

  /** {@code spate.monitoringPort}: port of the metrics and probe endpoints. */
  public static final OperatorConfig.Option<Integer> PORT =
      new OperatorConfig.Option<>(
          "spate.monitoringPort",
          "SPATE_MONITORING_PORT",
          "8080",
          "TCP port (all interfaces) of /metrics (Prometheus text format), /healthz and /readyz; 0 = any free port.",
          MonitoringConfig::parsePort);

  /**
   * {@code spate.logFormat}: {@code text} or {@code json}. Read by {@code logback.xml} itself (the
   * format is fixed when logging starts); listed here so that a bad value is refused at start.
   */
  public static final OperatorConfig.Option<LogFormat> LOG_FORMAT =
      new OperatorConfig.Option<>(
          "spate.logFormat",
          "SPATE_LOG_FORMAT",
          "text",
          "Log line format on stdout: text, or json (one JSON object per line with the MDC keys resource.namespace and resource.name of the StreamingJob being reconciled).",
          v -> LogFormat.valueOf(v.toUpperCase(Locale.ROOT)));

  /** Every monitoring option, in the order {@code --help} lists them. */
  public static final List<OperatorConfig.Option<?>> OPTIONS = List.of(PORT, LOG_FORMAT);

  /**
   * Reads the options.
   *
   * @param systemProperties looked up first
   * @param environment looked up second
   * @return the configuration
   * @throws IllegalArgumentException when a value does not parse; the message names the key
   */
  public static MonitoringConfig read(
      Map<String, String> systemProperties, Map<String, String> environment) {
    return new MonitoringConfig(
        PORT.read(systemProperties, environment), LOG_FORMAT.read(systemProperties, environment));
  }

  private static int parsePort(String value) {
    int port = Integer.parseInt(value);
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("a port is 0-65535");
    }
    return port;
  }
}
