package dev.spate.operator.bench;

import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The CRUD mock split into one store per namespace, so that each request scans the objects of its
 * own namespace instead of every object of the cluster (the fabric8 CRUD store finds objects by a
 * linear scan). A request for an object or collection inside a namespace ({@code
 * /api/v1/namespaces/<ns>/pods…}, {@code /apis/<group>/<version>/namespaces/<ns>/…}) goes to that
 * namespace's {@link ReconcileBench.CountingDispatcher}; everything else (namespaces themselves,
 * CRDs, cluster-wide lists) to the cluster store. A CRD written to the cluster store is written to
 * every namespace store too, now and when a namespace store is first used, so each knows the custom
 * resources' paths and status subresource.
 *
 * <p>Cluster-wide lists and watches of namespaced resources find nothing here: only an operator
 * that watches given namespaces ({@code spate.namespaces}) works against it.
 */
final class NamespaceShards extends Dispatcher {

  private static final Pattern NAMESPACED =
      Pattern.compile("^/apis?/(?:[^/]+/)?[^/]+/namespaces/([^/?]+)/[^?]+.*$");

  private final ReconcileBench.CountingDispatcher cluster = new ReconcileBench.CountingDispatcher();
  private final Map<String, ReconcileBench.CountingDispatcher> shards = new ConcurrentHashMap<>();
  private final List<RecordedRequest> crdWrites = new ArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String path = request.getPath();
    Matcher m = NAMESPACED.matcher(path);
    if (m.matches()) {
      return shard(m.group(1)).dispatch(request);
    }
    if (path.startsWith("/apis/apiextensions.k8s.io/") && !"GET".equals(request.getMethod())) {
      byte[] body = request.getBody() == null ? new byte[0] : request.getBody().getBytes();
      RecordedRequest kept = copy(request, body);
      synchronized (crdWrites) {
        crdWrites.add(kept);
        shards.values().forEach(s -> s.dispatch(copy(kept, body)));
      }
      return cluster.dispatch(copy(kept, body));
    }
    return cluster.dispatch(request);
  }

  private ReconcileBench.CountingDispatcher shard(String namespace) {
    ReconcileBench.CountingDispatcher shard = shards.get(namespace);
    if (shard != null) {
      return shard;
    }
    synchronized (crdWrites) {
      return shards.computeIfAbsent(
          namespace,
          ns -> {
            ReconcileBench.CountingDispatcher created = new ReconcileBench.CountingDispatcher();
            for (RecordedRequest crd : crdWrites) {
              created.dispatch(copy(crd, crd.getBody().getBytes()));
            }
            return created;
          });
    }
  }

  private static RecordedRequest copy(RecordedRequest request, byte[] body) {
    return new RecordedRequest(
        request.getHttpVersion(),
        request.method(),
        request.getPath(),
        request.getHeaders(),
        new Buffer(body));
  }

  /**
   * @return every store: the cluster's, then each namespace's
   */
  List<ReconcileBench.CountingDispatcher> stores() {
    List<ReconcileBench.CountingDispatcher> all = new ArrayList<>();
    all.add(cluster);
    all.addAll(shards.values());
    return all;
  }

  @Override
  public void shutdown() {
    cluster.shutdown();
    shards.values().forEach(Dispatcher::shutdown);
  }
}
