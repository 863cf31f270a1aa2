package dev.spate.operator;

import dev.spate.operator.config.MonitoringConfig;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.monitoring.MonitoringServer;
import dev.spate.operator.rbac.ApiAccess;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator process: reads {@link OperatorConfig} (system properties, then environment),
 * connects to the API server the usual way (in-cluster service account, or {@code KUBECONFIG}),
 * starts the StreamingJob controller and runs until SIGTERM/SIGINT, then stops gracefully: no new
 * reconciles, in-flight ones finish, informers and Kafka AdminClients close.
 *
 * <p>{@code java -jar spate-operator-<version>-all.jar [--help]}
 */
public final class Main {

  private static final Logger LOG = LoggerFactory.getLogger(Main.class);

  private Main() {}

  /**
   * Runs the operator.
   *
   * @param args {@code --help} prints the options and exits; nothing else is accepted
   * @throws InterruptedException when interrupted while running
   * @throws IOException when the monitoring port cannot be bound
   */
  public static void main(String[] args) throws InterruptedException, IOException {
    if (args.length > 0) {
      System.out.println(usage());
      System.exit(args[0].equals("--help") ? 0 : 2);
    }
    Map<String, String> props = new HashMap<>();
    System.getProperties().forEach((k, v) -> props.put(String.valueOf(k), String.valueOf(v)));
    OperatorConfig config;
    MonitoringConfig monitoring;
    try {
      config = OperatorConfig.read(props, System.getenv());
      monitoring = MonitoringConfig.read(props, System.getenv());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(usage());
      System.exit(2);
      return;
    }
    String instance = System.getenv().getOrDefault("SPATE_INSTANCE", hostname());
    LOG.info("Spate operator {} starting: {}", instance, config);

    // kubeconfig or in-cluster service account as fabric8 finds them; the User-Agent names the
    // operator in the API server's audit log
    Config clientConfig = Config.autoConfigure(null);
    clientConfig.setUserAgent(ApiAccess.userAgent());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig).build();
    PrometheusMeterRegistry registry = MonitoringServer.newRegistry();
    SpateOperator operator =
        new SpateOperator(
            client, config, instance, MicrometerMetrics.withoutPerResourceMetrics(registry));
    // serving before start(): the probes answer while the informer caches sync
    MonitoringServer server = MonitoringServer.forOperator(monitoring.port(), registry, operator);
    LOG.info("Serving /metrics, /healthz, /readyz on port {}", server.port());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  LOG.info("Spate operator stopping");
                  try {
                    operator.close();
                  } finally {
                    server.close();
                    registry.close();
                    client.close();
                    stopped.countDown();
                  }
                },
                "spate-shutdown"));
    operator.start();
    LOG.info("Spate operator started");
    stopped.await();
  }

  static String usage() {
    StringBuilder out =
        new StringBuilder(
            "Spate operator. Options (system property -Dkey=value, or environment):\n");
    for (OperatorConfig.Option<?> o :
        java.util.stream.Stream.concat(
                java.util.stream.Stream.concat(
                    OperatorConfig.OPTIONS.stream(), OperatorConfig.TUNING_OPTIONS.stream()),
                MonitoringConfig.OPTIONS.stream())
            .toList()) {
      out.append(
          String.format(
              "  %-24s %-28s default '%s'%n      %s%n",
              o.key(), o.env(), o.defaultValue(), o.description()));
    }
    return out.toString();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "spate-operator";
    }
  }
}
