package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.io.IOException;

/**
 * Reads a {@link StreamingJob} so that no stored object can fail the read: an informer that meets
 * an object it cannot read stops, and with it the whole operator (JOSDK stops the operator when an
 * informer dies). Whatever the API server accepted is read as follows:
 *
 * <ul>
 *   <li>{@code metadata} as usual (the API server validates it itself);
 *   <li>{@code spec} into {@link StreamingJobSpec}; when that fails, into an {@link UnreadableSpec}
 *       that keeps the stored JSON (so a serialised copy, e.g. JOSDK's cache clone or a status
 *       update, carries it unchanged) and says which field failed and why ({@link
 *       StreamingJob#unreadableSpecReason()});
 *   <li>{@code status} into {@link StreamingJobStatus}; when that fails it is dropped (the operator
 *       writes a fresh one at its next reconcile).
 * </ul>
 */
public final class LenientStreamingJobDeserializer extends StdDeserializer<StreamingJob> {

  private static final long serialVersionUID = 1L;

  /** Longest reason kept from a Jackson message, in characters. */
  static final int MAX_REASON_LENGTH = 300;

  /** Used by Jackson through {@code @JsonDeserialize} on {@link StreamingJob}. */
  public LenientStreamingJobDeserializer() {
    super(StreamingJob.class);
  }

  @Override
  public StreamingJob deserialize(JsonParser parser, DeserializationContext context)
      throws IOException {
    JsonNode tree = parser.readValueAsTree();
    StreamingJob job = new StreamingJob();
    if (!(tree instanceof ObjectNode object)) {
      return job;
    }
    JsonNode metadata = object.get("metadata");
    if (metadata != null && !metadata.isNull()) {
      job.setMetadata(context.readTreeAsValue(metadata, ObjectMeta.class));
    }
    JsonNode spec = object.get("spec");
    if (spec != null && !spec.isNull()) {
      try {
        job.setSpec(context.readTreeAsValue(spec, StreamingJobSpec.class));
      } catch (IOException | IllegalArgumentException e) {
        job.setSpec(new UnreadableSpec(spec, reason("spec", e)));
      }
    }
    JsonNode status = object.get("status");
    if (status != null && !status.isNull()) {
      try {
        job.setStatus(context.readTreeAsValue(status, StreamingJobStatus.class));
      } catch (IOException | IllegalArgumentException e) {
        job.setStatus(null);
      }
    }
    return job;
  }

  /**
   * One line: the JSON path of the value that failed and Jackson's reason without its source
   * location, e.g. {@code spec.executor.cores cannot be read: Cannot deserialize value of type
   * `java.lang.Integer` from String "lots": not a valid `java.lang.Integer` value}.
   */
  static String reason(String root, Exception e) {
    StringBuilder path = new StringBuilder(root);
    String message = e.getMessage();
    if (e instanceof JsonMappingException mapping) {
      for (JsonMappingException.Reference ref : mapping.getPath()) {
        if (ref.getFieldName() != null) {
          path.append('.').append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          path.append('[').append(ref.getIndex()).append(']');
        }
      }
      message = mapping.getOriginalMessage();
    }
    if (message == null) {
      message = e.getClass().getSimpleName();
    }
    String line = message.lines().findFirst().orElse("").strip();
    if (line.length() > MAX_REASON_LENGTH) {
      line = line.substring(0, MAX_REASON_LENGTH) + "…";
    }
    return path + " cannot be read: " + line;
  }
}
