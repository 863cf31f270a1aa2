package dev.spate.operator.reconciler;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The fabric8 CRUD mock with two gaps filled the way a real API server behaves: a {@code PUT
 * .../status} whose {@code metadata.resourceVersion} is not the stored one gets 409 Conflict
 * (Kubernetes "API concepts: resource versions", optimistic concurrency; the mock checks it for
 * whole-object updates only), and a {@code SelfSubjectRulesReview} answers that leases may be read,
 * created and updated (JOSDK checks that before leader election; the mock cannot evaluate RBAC).
 */
final class LockingCrudDispatcher extends KubernetesCrudDispatcher {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public MockResponse handleCreate(RecordedRequest request) {
    if (request.getPath().startsWith("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")) {
      return new MockResponse()
          .setResponseCode(201)
          .setBody(
              "{\"apiVersion\":\"authorization.k8s.io/v1\",\"kind\":\"SelfSubjectRulesReview\","
                  + "\"metadata\":{},\"spec\":{},\"status\":{\"incomplete\":false,"
                  + "\"nonResourceRules\":[],\"resourceRules\":[{\"apiGroups\":"
                  + "[\"coordination.k8s.io\"],\"resources\":[\"leases\"],\"verbs\":"
                  + "[\"get\",\"create\",\"update\"]}]}}");
    }
    return super.handleCreate(request);
  }

  @Override
  public MockResponse handleUpdate(RecordedRequest request) {
    String path = request.getPath();
    if (path.endsWith("/status")) {
      String sent = version(new String(request.getBody().getBytes(), StandardCharsets.UTF_8));
      MockResponse current = handleGet(path.substring(0, path.length() - "/status".length()));
      String stored = current.getBody() == null ? null : version(bodyOf(current));
      if (sent != null && stored != null && !sent.equals(stored)) {
        return new MockResponse()
            .setResponseCode(409)
            .setBody(
                "{\"apiVersion\":\"v1\",\"kind\":\"Status\",\"status\":\"Failure\",\"reason\":"
                    + "\"Conflict\",\"code\":409,\"message\":\"Operation cannot be fulfilled: the"
                    + " object has been modified; please apply your changes to the latest version"
                    + " and try again\"}");
      }
    }
    return super.handleUpdate(request);
  }

  private static String bodyOf(MockResponse response) {
    return new String(response.getBody().getBytes(), StandardCharsets.UTF_8);
  }

  private static String version(String json) {
    try {
      JsonNode rv = JSON.readTree(json).path("metadata").path("resourceVersion");
      return rv.isMissingNode() || rv.isNull() ? null : rv.asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
