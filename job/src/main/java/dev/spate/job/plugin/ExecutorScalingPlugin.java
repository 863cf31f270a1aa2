package dev.spate.job.plugin;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.time.Clock;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spark driver plugin that applies the executor count the operator wants at run time, enabled by
 * configuration alone: {@code spark.plugins=dev.spate.job.plugin.ExecutorScalingPlugin}.
 *
 * <p>Reads {@code spark.spate.control.configMap} (the control ConfigMap's name; without it the
 * plugin does nothing) and {@code spark.kubernetes.namespace} (default {@code default}). Talks to
 * the API server with the fabric8 client Spark ships (6.x): {@code spark.kubernetes.driver.master}
 * when set, else the master of {@code spark.master} ({@code k8s://<url>}), else the
 * in-cluster/kubeconfig defaults; trusts any certificate when {@code
 * spark.kubernetes.trust.certificates=true}. See {@link ExecutorScaler}. With {@code
 * spark.spate.attempt} set it also fences the driver ({@link AttemptFence}): once the ConfigMap
 * names a newer attempt, the streaming queries and the SparkContext stop.
 *
 * <p>Spark initialises driver plugins before it creates the scheduler backend, so the ConfigMap is
 * watched from {@code init} but applied only once the backend has started ({@link
 * SparkExecutorControl#ready()}); {@code registerMetrics}, which Spark calls right after that,
 * triggers the first application without waiting for the next retry.
 */
public final class ExecutorScalingPlugin implements SparkPlugin {

  @Override
  public DriverPlugin driverPlugin() {
    return new Driver();
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return null;
  }

  /**
   * @param conf the driver's Spark configuration
   * @return a client for the cluster the driver runs on
   */
  static KubernetesClient kubernetesClient(SparkConf conf) {
    ConfigBuilder config = new ConfigBuilder(Config.autoConfigure(null));
    String master = conf.get("spark.master", "");
    String driverMaster = conf.get("spark.kubernetes.driver.master", "");
    if (!driverMaster.isBlank()) {
      config.withMasterUrl(driverMaster.trim());
    } else if (master.startsWith("k8s://")) {
      config.withMasterUrl(master.substring("k8s://".length()));
    }
    if (conf.getBoolean("spark.kubernetes.trust.certificates", false)) {
      config.withTrustCerts(true);
    }
    return new KubernetesClientBuilder().withConfig(config.build()).build();
  }

  /**
   * Stops a superseded driver: every active streaming query of the session (the running micro-batch
   * is interrupted before its commit), then the SparkContext, so the application ends.
   */
  static void stopDriver(SparkContext sc) {
    scala.Option<SparkSession> session = SparkSession.getDefaultSession();
    if (session.isDefined()) {
      for (StreamingQuery query : session.get().streams().active()) {
        try {
          query.stop();
        } catch (java.util.concurrent.TimeoutException | RuntimeException e) {
          LoggerFactory.getLogger(ExecutorScalingPlugin.class)
              .warn("stopping query {} failed: {}", query.name(), e.toString());
        }
      }
    }
    sc.stop();
  }

  private static final class Driver implements DriverPlugin {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScalingPlugin.class);
    private ExecutorScaler scaler;
    private AttemptFence fence;
    private KubernetesClient fenceClient;

    @Override
    public Map<String, String> init(SparkContext sc, PluginContext pluginContext) {
      SparkConf conf = sc.getConf();
      String name = conf.get(JobConfigKeys.CONTROL_CONFIG_MAP, null);
      if (name == null || name.isBlank()) {
        LOG.warn("{} is not set: executor scaling is off", JobConfigKeys.CONTROL_CONFIG_MAP);
        return Map.of();
      }
      String namespace = conf.get("spark.kubernetes.namespace", "default");
      scaler =
          new ExecutorScaler(
              kubernetesClient(conf),
              namespace,
              name.trim(),
              new SparkExecutorControl(sc),
              Clock.systemUTC());
      scaler.start();
      int attempt = conf.getInt(JobConfigKeys.ATTEMPT, 0);
      if (attempt > 0) {
        fenceClient = kubernetesClient(conf);
        fence =
            new AttemptFence(fenceClient, namespace, name.trim(), attempt, () -> stopDriver(sc));
        fence.start();
      }
      return Map.of();
    }

    @Override
    public void registerMetrics(String appId, PluginContext pluginContext) {
      if (scaler != null) {
        scaler.reconcileSoon(); // the scheduler backend has started (SparkContext calls this after
        // it)
      }
    }

    @Override
    public void shutdown() {
      if (scaler != null) {
        scaler.close();
      }
      if (fence != null) {
        fence.close();
        fenceClient.close();
      }
    }
  }
}
