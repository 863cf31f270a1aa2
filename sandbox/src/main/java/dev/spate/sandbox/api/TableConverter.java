package dev.spate.sandbox.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.Option;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Server-side printing: turns objects into a {@code meta.k8s.io/v1} {@code Table}, the response
 * kubectl asks for with {@code Accept: application/json;as=Table;g=meta.k8s.io;v=v1} (see
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables).
 * Custom resources get the CRD version's {@code additionalPrinterColumns} (a leading {@code Name}
 * column, JSONPath cells evaluated as the API server does: the first result, {@code date} columns
 * as an age such as {@code 5m12s}); built-in types get the columns kubectl shows on a cluster for
 * pods, services, config maps, secrets, events, namespaces and PVCs; other types {@code Name} and
 * {@code Age}. Columns with {@code priority > 0} are the ones {@code -o wide} adds (kubectl drops
 * them otherwise).
 *
 * <p>fabric8's model has no Table type, so the table is a Jackson tree.
 */
public final class TableConverter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Configuration JSON_PATH =
      Configuration.builder()
          .jsonProvider(new JacksonJsonNodeJsonProvider(JSON))
          .mappingProvider(new JacksonMappingProvider(JSON))
          .options(Option.ALWAYS_RETURN_LIST, Option.SUPPRESS_EXCEPTIONS)
          .build();

  /**
   * What each row carries besides its cells ({@code includeObject} query parameter).
   *
   * @see <a
   *     href="https://kubernetes.io/docs/reference/using-api/api-concepts/#receiving-resources-as-tables">Receiving
   *     resources as Tables</a>
   */
  public enum IncludeObject {
    /** no object */
    NONE,
    /** a {@code PartialObjectMetadata} (the API server's default) */
    METADATA,
    /** the whole object */
    OBJECT;

    /**
     * @param value the query parameter ({@code None}, {@code Metadata}, {@code Object}), or null
     * @return the choice, {@link #METADATA} by default
     */
    public static IncludeObject parse(String value) {
      if (value == null) {
        return METADATA;
      }
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "none" -> NONE;
        case "object" -> OBJECT;
        default -> METADATA;
      };
    }
  }

  private record Column(
      String name,
      String type,
      String format,
      int priority,
      String description,
      Function<JsonNode, JsonNode> cell) {}

  private final List<Column> columns;
  private final Instant now;

  private TableConverter(List<Column> columns, Instant now) {
    this.columns = columns;
    this.now = now;
  }

  /**
   * The converter of one resource type.
   *
   * @param resource the type (its CRD printer columns, or its kind for built-in columns)
   * @param now the time ages are measured from
   * @return the converter
   */
  public static TableConverter of(ApiResources.Resource resource, Instant now) {
    List<Column> columns = new ArrayList<>();
    columns.add(
        new Column(
            "Name",
            "string",
            "name",
            0,
            "Name must be unique within a namespace.",
            o -> o.path("metadata").path("name")));
    TableConverter c = new TableConverter(columns, now);
    if (resource.custom()) {
      if (resource.printerColumns().isEmpty()) {
        c.age("Age");
      }
      for (JsonNode p : resource.printerColumns()) {
        c.printerColumn(p);
      }
      return c;
    }
    switch (resource.kind()) {
      case "Pod" -> c.podColumns();
      case "Service" -> c.serviceColumns();
      case "ConfigMap" -> {
        c.add("Data", "integer", 0, o -> NODES.numberNode(o.path("data").size()));
        c.age("Age");
      }
      case "Secret" -> {
        c.add("Type", "string", 0, o -> o.path("type"));
        c.add("Data", "integer", 0, o -> NODES.numberNode(o.path("data").size()));
        c.age("Age");
      }
      case "Event" -> c.eventColumns();
      case "Namespace" -> {
        c.add("Status", "string", 0, o -> text(o.path("status").path("phase").asText("Active")));
        c.age("Age");
      }
      case "PersistentVolumeClaim" -> {
        c.add("Status", "string", 0, o -> o.path("status").path("phase"));
        c.add("Volume", "string", 0, o -> o.path("spec").path("volumeName"));
        c.add("Capacity", "string", 0, o -> o.path("status").path("capacity").path("storage"));
        c.add(
            "Access Modes",
            "string",
            0,
            o -> text(join(o.path("status").path("accessModes"), ",", n -> shortMode(n.asText()))));
        c.add("StorageClass", "string", 0, o -> o.path("spec").path("storageClassName"));
        c.age("Age");
      }
      default -> c.age("Age");
    }
    return c;
  }

  /**
   * A table of a list response.
   *
   * @param list a {@code *List} object with {@code items} and {@code metadata}
   * @param include what each row carries
   * @return the Table
   */
  public ObjectNode list(JsonNode list, IncludeObject include) {
    ObjectNode table = header(true);
    ObjectNode meta = table.putObject("metadata");
    JsonNode listMeta = list.path("metadata");
    if (listMeta.hasNonNull("resourceVersion")) {
      meta.set("resourceVersion", listMeta.get("resourceVersion"));
    }
    if (listMeta.hasNonNull("continue")) {
      meta.set("continue", listMeta.get("continue"));
    }
    ArrayNode rows = table.putArray("rows");
    for (JsonNode item : list.path("items")) {
      rows.add(row(item, include));
    }
    return table;
  }

  /**
   * A one-row table of one object (a GET of one object, or a watch event's object).
   *
   * @param object the object
   * @param include what the row carries
   * @param withColumns whether to include the column definitions (a watch sends them with the first
   *     event only, as the API server does)
   * @return the Table
   */
  public ObjectNode single(JsonNode object, IncludeObject include, boolean withColumns) {
    ObjectNode table = header(withColumns);
    ObjectNode meta = table.putObject("metadata");
    JsonNode rv = object.path("metadata").path("resourceVersion");
    if (!rv.isMissingNode() && !rv.isNull()) {
      meta.set("resourceVersion", rv);
    }
    table.putArray("rows").add(row(object, include));
    return table;
  }

  private ObjectNode header(boolean withColumns) {
    ObjectNode table = NODES.objectNode();
    table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
    ArrayNode defs = table.putArray("columnDefinitions");
    if (withColumns) {
      for (Column c : columns) {
        defs.addObject()
            .put("name", c.name())
            .put("type", c.type())
            .put("format", c.format())
            .put("description", c.description())
            .put("priority", c.priority());
      }
    }
    return table;
  }

  private ObjectNode row(JsonNode object, IncludeObject include) {
    ObjectNode row = NODES.objectNode();
    ArrayNode cells = row.putArray("cells");
    for (Column c : columns) {
      JsonNode v = c.cell().apply(object);
      cells.add(v == null || v.isMissingNode() ? NODES.nullNode() : v);
    }
    switch (include) {
      case OBJECT -> row.set("object", object);
      case METADATA -> {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", object.path("metadata"));
      }
      case NONE -> {}
    }
    return row;
  }

  private void printerColumn(JsonNode p) {
    String type = p.path("type").asText("string");
    String path = p.path("jsonPath").asText();
    JsonPath compiled = JsonPath.compile("$" + (path.startsWith(".") ? "" : ".") + path);
    Function<JsonNode, JsonNode> first =
        o -> {
          Object result = compiled.read(o, JSON_PATH);
          if (result instanceof ArrayNode a && !a.isEmpty()) {
            return a.get(0);
          }
          return null;
        };
    Function<JsonNode, JsonNode> cell =
        switch (type) {
          case "date" -> o -> age(first.apply(o));
          case "integer", "number", "boolean" -> first;
          default ->
              o -> {
                JsonNode v = first.apply(o);
                return v == null || v.isNull() || v.isValueNode() ? v : text(v.toString());
              };
        };
    columns.add(
        new Column(
            p.path("name").asText(),
            type,
            p.path("format").asText(""),
            p.path("priority").asInt(0),
            p.path("description").asText(""),
            cell));
  }

  private void podColumns() {
    add(
        "Ready",
        "string",
        0,
        o -> {
          int total = o.path("spec").path("containers").size();
          int ready = 0;
          for (JsonNode s : o.path("status").path("containerStatuses")) {
            if (s.path("ready").asBoolean(false)) {
              ready++;
            }
          }
          return text(ready + "/" + total);
        });
    add("Status", "string", 0, o -> text(podStatus(o)));
    add(
        "Restarts",
        "integer",
        0,
        o -> {
          int restarts = 0;
          for (JsonNode s : o.path("status").path("containerStatuses")) {
            restarts += s.path("restartCount").asInt(0);
          }
          return NODES.numberNode(restarts);
        });
    age("Age");
    add("IP", "string", 1, o -> orNone(o.path("status").path("podIP")));
    add("Node", "string", 1, o -> orNone(o.path("spec").path("nodeName")));
    add("Nominated Node", "string", 1, o -> orNone(o.path("status").path("nominatedNodeName")));
    add("Readiness Gates", "string", 1, o -> text("<none>"));
  }

  /** The pod's STATUS column: Terminating, a container's waiting/terminated reason, or phase. */
  static String podStatus(JsonNode pod) {
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return "Terminating";
    }
    String reason = pod.path("status").path("reason").asText(null);
    String status = reason != null ? reason : pod.path("status").path("phase").asText("Pending");
    for (JsonNode s : pod.path("status").path("containerStatuses")) {
      JsonNode state = s.path("state");
      if (state.path("waiting").hasNonNull("reason")) {
        return state.path("waiting").path("reason").asText();
      }
      if (state.path("terminated").hasNonNull("reason")) {
        return state.path("terminated").path("reason").asText();
      }
    }
    return status;
  }

  private void serviceColumns() {
    add("Type", "string", 0, o -> text(o.path("spec").path("type").asText("ClusterIP")));
    add("Cluster-IP", "string", 0, o -> orNone(o.path("spec").path("clusterIP")));
    add(
        "External-IP",
        "string",
        0,
        o -> {
          String ips = join(o.path("spec").path("externalIPs"), ",", JsonNode::asText);
          return text(ips.isEmpty() ? "<none>" : ips);
        });
    add(
        "Port(s)",
        "string",
        0,
        o -> {
          String ports =
              join(
                  o.path("spec").path("ports"),
                  ",",
                  p -> p.path("port").asText() + "/" + p.path("protocol").asText("TCP"));
          return text(ports.isEmpty() ? "<none>" : ports);
        });
    age("Age");
    add(
        "Selector",
        "string",
        1,
        o -> {
          List<String> pairs = new ArrayList<>();
          o.path("spec")
              .path("selector")
              .properties()
              .forEach(e -> pairs.add(e.getKey() + "=" + e.getValue().asText()));
          return text(pairs.isEmpty() ? "<none>" : String.join(",", pairs));
        });
  }

  private void eventColumns() {
    add(
        "Last Seen",
        "string",
        0,
        o -> {
          JsonNode last = o.path("lastTimestamp");
          if (last.isMissingNode() || last.isNull()) {
            last = o.path("eventTime");
          }
          return age(last);
        });
    add("Type", "string", 0, o -> o.path("type"));
    add("Reason", "string", 0, o -> o.path("reason"));
    add(
        "Object",
        "string",
        0,
        o -> {
          JsonNode ref = o.path("involvedObject");
          return text(
              ref.path("kind").asText().toLowerCase(Locale.ROOT) + "/" + ref.path("name").asText());
        });
    add("Message", "string", 0, o -> o.path("message"));
    add("Source", "string", 1, o -> o.path("source").path("component"));
    add("First Seen", "string", 1, o -> age(o.path("firstTimestamp")));
    add("Count", "integer", 1, o -> NODES.numberNode(o.path("count").asInt(1)));
  }

  private void add(String name, String type, int priority, Function<JsonNode, JsonNode> cell) {
    columns.add(new Column(name, type, "", priority, "", cell));
  }

  private void age(String name) {
    add(name, "string", 0, o -> age(o.path("metadata").path("creationTimestamp")));
  }

  private JsonNode age(JsonNode timestamp) {
    if (timestamp == null || !timestamp.isTextual()) {
      return text("<unknown>");
    }
    try {
      return text(HumanDuration.format(Duration.between(Instant.parse(timestamp.asText()), now)));
    } catch (DateTimeParseException e) {
      return text("<invalid>");
    }
  }

  private static JsonNode orNone(JsonNode v) {
    return v == null || v.isMissingNode() || v.isNull() || v.asText().isEmpty()
        ? text("<none>")
        : v;
  }

  private static String shortMode(String mode) {
    return switch (mode) {
      case "ReadWriteOnce" -> "RWO";
      case "ReadOnlyMany" -> "ROX";
      case "ReadWriteMany" -> "RWX";
      case "ReadWriteOncePod" -> "RWOP";
      default -> mode;
    };
  }

  private static String join(JsonNode array, String sep, Function<JsonNode, String> f) {
    List<String> parts = new ArrayList<>();
    array.forEach(n -> parts.add(f.apply(n)));
    return String.join(sep, parts);
  }

  private static JsonNode text(String s) {
    return NODES.textNode(s);
  }
}
