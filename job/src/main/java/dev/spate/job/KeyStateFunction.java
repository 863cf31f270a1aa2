package dev.spate.job;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.streaming.GroupState;

/**
 * The stateful step ({@code flatMapGroupsWithState}, update mode, processing-time timeout): merges
 * a key's partials of one micro-batch into its {@link KeyState} and emits the new aggregate with
 * the micro-batch's {@link OutputVersion}; when the key was idle for the state timeout, emits a
 * last record with {@code "expired": true} (same rule for its version) and removes the state.
 *
 * <p>Aggregate record: key = the aggregation key (UTF-8), value = JSON {@code
 * {"key","count","sum","min","max","firstEventTime","lastEventTime","version","expired"}}
 * (sum/min/max only with a value field; times as ISO-8601 UTC). Versions of a key only grow, also
 * across expiry and restarts, and are the same when a micro-batch is replayed: a consumer keeps,
 * per key, the record with the highest {@code version} and drops the duplicates of the
 * at-least-once sink.
 */
public final class KeyStateFunction
    implements FlatMapGroupsWithStateFunction<String, Partial, KeyState, OutputRecord> {

  private static final long serialVersionUID = 1L;
  private static final JsonFactory JSON = new JsonFactory();

  private final String outputTopic;
  private final boolean withValue;
  private final long stateTimeoutMs;

  /**
   * @param outputTopic topic of aggregate records
   * @param withValue whether a value field is configured (sum/min/max are emitted)
   * @param stateTimeoutMs idle time after which a key expires, ms
   */
  public KeyStateFunction(String outputTopic, boolean withValue, long stateTimeoutMs) {
    this.outputTopic = outputTopic;
    this.withValue = withValue;
    this.stateTimeoutMs = stateTimeoutMs;
  }

  @Override
  public Iterator<OutputRecord> call(
      String groupKey, Iterator<Partial> partials, GroupState<KeyState> state) {
    String key = groupKey.substring(Partial.KEY_PREFIX.length());
    long version = OutputVersion.of(OutputVersion.currentBatchId());
    if (state.hasTimedOut()) {
      KeyState last = state.get();
      state.remove();
      last.setVersion(version);
      return Collections.singletonList(aggregate(key, last, true)).iterator();
    }
    KeyState s = state.exists() ? state.get() : null;
    while (partials.hasNext()) {
      Partial p = partials.next();
      if (s == null) {
        s = KeyState.from(p);
      } else {
        s.merge(p);
      }
    }
    if (s == null) {
      return Collections.emptyIterator();
    }
    s.setVersion(version);
    state.update(s);
    state.setTimeoutDuration(stateTimeoutMs);
    return Collections.singletonList(aggregate(key, s, false)).iterator();
  }

  private OutputRecord aggregate(String key, KeyState s, boolean expired) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(192);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeStringField("key", key);
      g.writeNumberField("count", s.getCount());
      if (withValue) {
        g.writeNumberField("sum", s.getSum());
        g.writeNumberField("min", s.getMin());
        g.writeNumberField("max", s.getMax());
      }
      g.writeStringField("firstEventTime", Instant.ofEpochMilli(s.getFirstEventTime()).toString());
      g.writeStringField("lastEventTime", Instant.ofEpochMilli(s.getLastEventTime()).toString());
      g.writeNumberField("version", s.getVersion());
      g.writeBooleanField("expired", expired);
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new OutputRecord(outputTopic, key.getBytes(StandardCharsets.UTF_8), bytes.toByteArray());
  }
}
