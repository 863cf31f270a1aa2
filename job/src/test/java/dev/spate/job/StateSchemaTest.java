package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The schemas Spark's bean encoder derives from {@link KeyState} (the state store's value: an
 * existing checkpoint's state only reads back under the same schema) and {@link Partial} (the
 * shuffled rows): every property's name, type and nullability, pinned.
 */
class StateSchemaTest {

  @Test
  void keyStateSchemaIsThatOfExistingCheckpoints() {
    assertThat(fields(Encoders.bean(KeyState.class).schema()))
        .containsExactly(
            tuple("count", "bigint", false),
            tuple("firstEventTime", "bigint", false),
            tuple("lastEventTime", "bigint", false),
            tuple("max", "double", false),
            tuple("min", "double", false),
            tuple("sum", "double", false),
            tuple("version", "bigint", false));
  }

  @Test
  void partialSchemaKeepsItsProperties() {
    assertThat(fields(Encoders.bean(Partial.class).schema()))
        .containsExactly(
            tuple("badRecords", "bigint", false),
            tuple("count", "bigint", false),
            tuple("firstEventTime", "bigint", false),
            tuple("groupKey", "string", true),
            tuple("lastEventTime", "bigint", false),
            tuple("max", "double", false),
            tuple("min", "double", false),
            tuple("sum", "double", false),
            tuple("tally", "boolean", false));
  }

  private static java.util.List<org.assertj.core.groups.Tuple> fields(StructType schema) {
    return java.util.Arrays.stream(schema.fields())
        .map((StructField f) -> tuple(f.name(), f.dataType().simpleString(), f.nullable()))
        .toList();
  }
}
