package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last deletions, so that a watch started from a {@code resourceVersion} also hears of objects
 * deleted between the client's list and its watch: the API server replays such events from its
 * watch cache; fabric8's mock keeps no history (it replays the objects that exist, which covers
 * creations and changes, not deletions). {@code kubectl delete} and {@code kubectl wait
 * --for=delete} depend on it: a finalizer released right after the list would otherwise leave them
 * waiting. Each deletion gets a new resource version, as on the API server. Bounded to the last
 * {@value #CAPACITY} deletions.
 */
final class Tombstones {

  static final int CAPACITY = 2000;

  /**
   * One deletion.
   *
   * @param prefix API prefix of the object's type
   * @param resource plural resource name
   * @param namespace namespace, null for cluster-scoped objects
   * @param resourceVersion the deletion's resource version
   * @param object the last state of the object (with that resource version)
   */
  record Tombstone(
      String prefix, String resource, String namespace, long resourceVersion, JsonNode object) {}

  private final Deque<Tombstone> deletions = new ArrayDeque<>();

  /**
   * Records a deletion.
   *
   * @param api the object's path
   * @param lastState the object as it was last stored
   * @param resourceVersion a new resource version for the deletion
   */
  synchronized void add(ApiPath api, JsonNode lastState, long resourceVersion) {
    ObjectNode object = lastState.deepCopy();
    if (object.path("metadata") instanceof ObjectNode meta) {
      meta.put("resourceVersion", Long.toString(resourceVersion));
    }
    String ns = lastState.path("metadata").path("namespace").asText(null);
    deletions.addLast(new Tombstone(api.prefix(), api.resource(), ns, resourceVersion, object));
    while (deletions.size() > CAPACITY) {
      deletions.removeFirst();
    }
  }

  /**
   * @param watch the watch's path (type, namespace, selector)
   * @param after the watch's starting resource version
   * @return the deletions a watch from {@code after} should hear of, oldest first
   */
  synchronized List<JsonNode> since(ApiPath watch, long after) {
    ObjectSelector selector = watch.selector();
    List<JsonNode> out = new ArrayList<>();
    for (Tombstone t : deletions) {
      if (t.resourceVersion() > after
          && t.prefix().equals(watch.prefix())
          && t.resource().equals(watch.resource())
          && (watch.namespace() == null || watch.namespace().equals(t.namespace()))
          && selector.test(t.object())) {
        out.add(t.object());
      }
    }
    return out;
  }
}
