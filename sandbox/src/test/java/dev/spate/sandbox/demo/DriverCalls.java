package dev.spate.sandbox.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.sandbox.Sandbox;
import dev.spate.sandbox.api.RbacAuthorizer;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Records every request of Spark's Kubernetes client to the sandbox API (User-Agent {@code
 * fabric8-kubernetes-client/6.*}: drivers, through Spark's scheduler backend and Spate's driver
 * plugin; the operator, the kubelet and the tests use fabric8 7) and checks them against a driver
 * Role as Kubernetes RBAC would ({@link RbacAuthorizer}), since the sandbox enforces no RBAC.
 */
final class DriverCalls {

  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  private DriverCalls() {}

  /**
   * Starts recording (replaces any earlier observer of the sandbox API).
   *
   * @param sandbox the sandbox
   * @return the recorder
   */
  static DriverCalls record(Sandbox sandbox) {
    DriverCalls recorder = new DriverCalls();
    sandbox
        .api()
        .dispatcher()
        .observe(
            r -> {
              String agent = r.getHeader("User-Agent");
              if (agent != null && agent.startsWith("fabric8-kubernetes-client/6.")) {
                recorder.calls.add(r.getMethod() + " " + r.getPath());
              }
            });
    return recorder;
  }

  /**
   * @return the recorded calls as RBAC request attributes (API object paths only)
   */
  List<RbacAuthorizer.Attributes> attributes() {
    List<String> copy;
    synchronized (calls) {
      copy = List.copyOf(calls);
    }
    return copy.stream()
        .map(
            c ->
                RbacAuthorizer.attributes(
                    c.substring(0, c.indexOf(' ')), c.substring(c.indexOf(' ') + 1)))
        .filter(Objects::nonNull)
        .toList();
  }

  /**
   * Asserts that the driver called the API (created pods, watched its control ConfigMap) and that
   * the Role allows every call; prints the kinds of calls checked.
   *
   * @param role the job's driver Role as it was while the driver ran
   * @param controlConfigMap the job's control ConfigMap
   * @param tag prefix of the printed line
   * @return the distinct calls, e.g. {@code create pods in ns}
   */
  TreeSet<String> assertAllowedBy(Role role, String controlConfigMap, String tag) {
    List<RbacAuthorizer.Attributes> asked = attributes();
    TreeSet<String> kinds = new TreeSet<>(asked.stream().map(Object::toString).toList());
    System.out.println(
        tag + " " + asked.size() + " calls of the driver checked against its Role: " + kinds);
    assertThat(asked)
        .as("the driver's calls reached the API through Spark's client")
        .anySatisfy(a -> assertThat(a.toString()).startsWith("create pods"))
        .anySatisfy(
            a -> assertThat(a.toString()).startsWith("watch configmaps " + controlConfigMap));
    assertThat(asked)
        .as("calls the Role %s does not allow", role.getRules())
        .allSatisfy(
            a -> assertThat(RbacAuthorizer.allows(role.getRules(), a)).as("%s", a).isTrue());
    return kinds;
  }
}
