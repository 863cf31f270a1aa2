package dev.spate.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Requests map to the RBAC verbs a real API server checks ("Authorization: request verbs"). */
class ApiAccessLogTest {

  @Test
  void requestsMapToTheirRbacGrants() {
    assertThat(grant("GET", "/api/v1/namespaces/a/pods/p")).isEqualTo("/pods:get");
    assertThat(grant("GET", "/api/v1/namespaces/a/pods?labelSelector=x%3Dy"))
        .isEqualTo("/pods:list");
    assertThat(grant("GET", "/api/v1/pods?watch=true&resourceVersion=5")).isEqualTo("/pods:watch");
    assertThat(grant("POST", "/api/v1/namespaces/a/configmaps")).isEqualTo("/configmaps:create");
    assertThat(grant("PUT", "/apis/spate.dev/v1alpha1/namespaces/a/streamingjobs/j/status"))
        .isEqualTo("spate.dev/streamingjobs/status:update");
    assertThat(grant("PATCH", "/api/v1/namespaces/a/configmaps/c")).isEqualTo("/configmaps:patch");
    assertThat(grant("DELETE", "/api/v1/namespaces/a/pods/p")).isEqualTo("/pods:delete");
    assertThat(grant("DELETE", "/api/v1/namespaces/a/pods?labelSelector=spark-app-selector%3Ds"))
        .isEqualTo("/pods:deletecollection");
    assertThat(grant("PUT", "/apis/coordination.k8s.io/v1/namespaces/o/leases/spate"))
        .isEqualTo("coordination.k8s.io/leases:update");
    assertThat(grant("GET", "/version")).isNull();
    assertThat(grant("GET", "/apis")).isNull();
  }

  @Test
  void callsAreKeptPerCaller() {
    ApiAccessLog log = new ApiAccessLog();
    log.record("spate-operator/dev", "POST", "/api/v1/namespaces/a/pods");
    log.record("fabric8-kubernetes-client/6.7.2", "DELETE", "/api/v1/namespaces/a/pods/x");
    log.record(null, "GET", "/api/v1/namespaces/a/pods/x");

    assertThat(log.used("spate-operator/")).containsExactly("/pods:create");
    assertThat(log.used("fabric8-kubernetes-client/6.")).containsExactly("/pods:delete");
    assertThat(log.callers())
        .containsExactly("fabric8-kubernetes-client/6.7.2", "spate-operator/dev", "unknown");
  }

  @Test
  void creatingAnOwnedObjectRecordsTheOwnerReferenceChecks() {
    ApiAccessLog log = new ApiAccessLog();
    log.record(
        "spate-operator/dev",
        "POST",
        "/api/v1/namespaces/a/secrets",
        """
        {"metadata": {"name": "j-spark-auth", "ownerReferences": [
          {"apiVersion": "spate.dev/v1", "kind": "StreamingJob", "name": "j",
           "blockOwnerDeletion": true},
          {"apiVersion": "v1", "kind": "Pod", "name": "p"}]}}""");
    log.record(
        "fabric8-kubernetes-client/6.7.2",
        "POST",
        "/api/v1/namespaces/a/pods",
        """
        {"metadata": {"name": "e-1", "ownerReferences": [
          {"apiVersion": "v1", "kind": "Pod", "name": "d", "blockOwnerDeletion": true}]}}""");
    log.record("spate-operator/dev", "POST", "/api/v1/namespaces/a/events", "{\"metadata\": {}}");
    log.record("spate-operator/dev", "PUT", "/api/v1/namespaces/a/configmaps/c", null);

    assertThat(log.used("spate-operator/"))
        .containsExactly(
            "/configmaps:update",
            "/events:create",
            "/secrets:create",
            "/secrets:delete",
            "spate.dev/streamingjobs/finalizers:update");
    assertThat(log.used("fabric8-kubernetes-client/6."))
        .containsExactly("/pods/finalizers:update", "/pods:create", "/pods:delete");
  }

  private static String grant(String method, String path) {
    return ApiAccessLog.grant(method, path);
  }
}
