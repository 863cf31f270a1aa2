package dev.spate.operator.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.spate.api.v1alpha1.StreamingJobSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * The spec the running driver was started from, kept as a JSON string in {@code
 * status.lastAppliedSpec} so that {@link SpecChanges} can compare against it after an operator
 * restart.
 *
 * <p>The JSON is compact and stable: properties in the API classes' {@code @JsonPropertyOrder}
 * (alphabetical where none is declared), {@code sparkConf} entries sorted by key, absent fields
 * left out. The same spec always gives the same string, so a status patch is a no-op when nothing
 * changed.
 */
public final class LastAppliedSpec {

  /** The mapper of this package: stable key order, unknown properties rejected. */
  static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .build();

  private LastAppliedSpec() {}

  /**
   * Serialises a spec.
   *
   * @param spec the spec
   * @return compact JSON, e.g. {@code {"kafka":{"bootstrapServers":"k:9092",...},...}}
   * @throws NullPointerException when spec is null
   * @throws IllegalStateException when Jackson cannot serialise it (a bug in the API classes)
   */
  public static String serialize(StreamingJobSpec spec) {
    Objects.requireNonNull(spec, "spec");
    try {
      return MAPPER.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise the spec: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Parses {@code status.lastAppliedSpec}.
   *
   * @param json the stored string, or null/blank when none was stored (a job created by an older
   *     operator, or never started)
   * @return the spec, or empty when nothing was stored
   * @throws IllegalArgumentException when the string is not the JSON of a spec (corrupt, or written
   *     by an operator with fields this one does not know); the message says so and quotes
   *     Jackson's reason. The caller should then treat the spec as unknown (and say so in an Event)
   *     rather than guess.
   */
  public static Optional<StreamingJobSpec> parse(String json) {
    if (json == null || json.isBlank()) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(json, StreamingJobSpec.class));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "status.lastAppliedSpec is not the JSON of a StreamingJob spec: "
              + e.getOriginalMessage(),
          e);
    }
  }

  /**
   * A deep copy of a spec (through its JSON), so a kept spec cannot be changed through the live
   * object.
   *
   * @param spec the spec
   * @return an equal, independent spec
   */
  public static StreamingJobSpec copy(StreamingJobSpec spec) {
    return parse(serialize(spec)).orElseThrow();
  }
}
