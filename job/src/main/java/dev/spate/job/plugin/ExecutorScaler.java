package dev.spate.job.plugin;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.spate.job.JobConfigKeys;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the control ConfigMap (docs/CONTRACT.md) and applies its {@code desiredExecutors} to the
 * driver: grow with {@code requestTotalExecutors}, shrink by killing the least busy executors
 * ({@link ScalingDecision}); then writes {@code appliedExecutors} and {@code appliedAt} (RFC 3339)
 * back into the ConfigMap. Changes are applied one at a time on a single thread, in order.
 */
public final class ExecutorScaler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorScaler.class);

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final ExecutorControl control;
    private final Clock clock;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "spate-executor-scaler");
        t.setDaemon(true);
        return t;
    });
    private SharedIndexInformer<ConfigMap> informer;
    private Integer lastApplied;

    /**
     * @param client Kubernetes client (closed by {@link #close()})
     * @param namespace namespace of the control ConfigMap
     * @param name name of the control ConfigMap
     * @param control the driver's executor controls
     * @param clock clock for {@code appliedAt}
     */
    public ExecutorScaler(KubernetesClient client, String namespace, String name, ExecutorControl control, Clock clock) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.control = control;
        this.clock = clock;
    }

    /**
     * Starts watching the ConfigMap (returns at once; the informer retries while the API server is
     * unreachable); the current content is applied as soon as it is listed.
     */
    public void start() {
        informer = client.configMaps().inNamespace(namespace).withName(name).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(ConfigMap cm) {
                worker.execute(() -> reconcile(cm));
            }

            @Override
            public void onUpdate(ConfigMap oldCm, ConfigMap cm) {
                worker.execute(() -> reconcile(cm));
            }

            @Override
            public void onDelete(ConfigMap cm, boolean deletedFinalStateUnknown) {
                // keep the current executors; the operator recreates the ConfigMap
            }
        });
        // not blocking: an unreachable API server must not keep the driver from starting
        informer.start().whenComplete((ok, e) -> {
            if (e != null) {
                LOG.warn("cannot watch control ConfigMap {}/{}: {}", namespace, name, e.toString());
            }
        });
        LOG.info("watching control ConfigMap {}/{} for {}", namespace, name, JobConfigKeys.DESIRED_EXECUTORS);
    }

    /**
     * @param data the ConfigMap's data, may be {@code null}
     * @return {@code desiredExecutors} when present and a whole number &gt;= 0
     */
    static OptionalInt desired(Map<String, String> data) {
        String text = data == null ? null : data.get(JobConfigKeys.DESIRED_EXECUTORS);
        if (text == null || text.isBlank()) {
            return OptionalInt.empty();
        }
        try {
            int n = Integer.parseInt(text.trim());
            return n >= 0 ? OptionalInt.of(n) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Applies the ConfigMap's desired executor count when it differs from what was last applied.
     *
     * @param event the control ConfigMap as the watch event carried it (re-read before use)
     */
    void reconcile(ConfigMap event) {
        try {
            // the informer may hand over an older copy (list + watch); decide on the current one
            ConfigMap cm = client.configMaps().inNamespace(namespace).withName(name).get();
            if (cm == null) {
                return;
            }
            Map<String, String> data = cm.getData();
            OptionalInt desired = desired(data);
            if (desired.isEmpty()) {
                if (data != null && data.containsKey(JobConfigKeys.DESIRED_EXECUTORS)) {
                    LOG.warn("{} '{}' in ConfigMap {}/{} is not a whole number >= 0; ignored",
                            JobConfigKeys.DESIRED_EXECUTORS, data.get(JobConfigKeys.DESIRED_EXECUTORS), namespace, name);
                }
                return;
            }
            int want = desired.getAsInt();
            if (lastApplied != null && lastApplied == want
                    && String.valueOf(want).equals(data.get(JobConfigKeys.APPLIED_EXECUTORS))) {
                return; // our own write-back, or nothing new
            }
            ScalingDecision decision = ScalingDecision.decide(want, control.executors());
            List<String> killed = control.killExecutors(decision.kill());
            if (!control.requestTotalExecutors(decision.requestTotal())) {
                LOG.warn("the scheduler backend refused {} executors (not a cluster manager that scales?)", want);
                return;
            }
            lastApplied = want;
            String at = Instant.now(clock).toString();
            client.configMaps().inNamespace(namespace).withName(name).edit(c -> new ConfigMapBuilder(c)
                    .addToData(JobConfigKeys.APPLIED_EXECUTORS, String.valueOf(want))
                    .addToData(JobConfigKeys.APPLIED_AT, at)
                    .build());
            LOG.info("applied {} executors (killed {})", want, killed);
        } catch (RuntimeException e) {
            LOG.warn("cannot apply the control ConfigMap {}/{}: {}", namespace, name, e.toString());
        }
    }

    @Override
    public void close() {
        if (informer != null) {
            informer.stop();
        }
        worker.shutdownNow();
        client.close();
    }
}
