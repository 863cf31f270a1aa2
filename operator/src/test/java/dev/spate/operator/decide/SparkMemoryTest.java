package dev.spate.operator.decide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spate.operator.decide.SparkMemory.Role;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SparkMemoryTest {

  @ParameterizedTest(name = "{0} = {1} MiB")
  @CsvSource({
    "1g, 1024",
    "1G, 1024",
    "2gb, 2048",
    "512m, 512",
    "512MB, 512",
    "1536, 1536",
    "1t, 1048576",
    "1048576k, 1024",
    "1048576kb, 1024",
    "1073741824b, 1024",
    "1048575b, 0",
    "1536k, 1",
    "' 4g ', 4096",
    "0, 0",
    "2Gi, 2048",
    "1536Mi, 1536",
    "1Ti, 1048576",
    "2048Ki, 2"
  })
  void parsesSparkMemoryStringsToMib(String value, long mib) {
    assertThat(SparkMemory.parseMib(value)).isEqualTo(mib);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "1.5g",
        "0.5",
        "-1g",
        "1x",
        "g",
        "",
        " ",
        "12 34m",
        "99999999999999999999m",
        "9999999p"
      })
  void rejectsWhatSparkRejects(String value) {
    assertThatThrownBy(() -> SparkMemory.parseMib(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("memory size");
  }

  @Test
  void fractionalValuesGetAClearMessage() {
    assertThatThrownBy(() -> SparkMemory.parseMib("1.5g")).hasMessageContaining("fractional");
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> SparkMemory.parseMib(null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest(name = "{0} MiB -> overhead {1} MiB")
  @CsvSource({
    "0, 384",
    "1024, 384",
    "3840, 384",
    "3849, 384",
    "3850, 385",
    "4096, 409",
    "8192, 819",
    "10240, 1024"
  })
  void overheadIsTenPercentWithA384MibFloor(long memoryMib, long overheadMib) {
    assertThat(SparkMemory.overheadMib(Role.DRIVER, memoryMib, Map.of())).isEqualTo(overheadMib);
    assertThat(SparkMemory.overheadMib(Role.EXECUTOR, memoryMib, null)).isEqualTo(overheadMib);
  }

  @Test
  void explicitOverheadOfTheSameRoleWins() {
    Map<String, String> conf = Map.of("spark.executor.memoryOverhead", "1g");
    assertThat(SparkMemory.overheadMib(Role.EXECUTOR, 2048, conf)).isEqualTo(1024);
    assertThat(SparkMemory.overheadMib(Role.DRIVER, 2048, conf)).isEqualTo(384);
    assertThat(
            SparkMemory.overheadMib(
                Role.DRIVER, 2048, Map.of("spark.driver.memoryOverhead", "100")))
        .as("an explicit overhead is not raised to the floor, as in Spark")
        .isEqualTo(100);
  }

  @Test
  void overheadFactorIsHonoured() {
    Map<String, String> conf = Map.of("spark.driver.memoryOverheadFactor", "0.4");
    assertThat(SparkMemory.overheadMib(Role.DRIVER, 4096, conf)).isEqualTo(1638);
    assertThat(SparkMemory.overheadMib(Role.EXECUTOR, 4096, conf)).isEqualTo(409);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1.5", "-0.1", "ten"})
  void badOverheadFactorIsRejected(String factor) {
    assertThatThrownBy(
            () ->
                SparkMemory.overheadMib(
                    Role.EXECUTOR, 4096, Map.of("spark.executor.memoryOverheadFactor", factor)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("spark.executor.memoryOverheadFactor");
  }

  @Test
  void containerMemoryIsMemoryPlusOverheadInMi() {
    assertThat(SparkMemory.containerMemory(Role.EXECUTOR, "2g", Map.of()))
        .isEqualTo(new Quantity("2432Mi"));
    assertThat(SparkMemory.containerMemory(Role.DRIVER, "8g", Map.of()))
        .isEqualTo(new Quantity("9011Mi"));
    assertThat(Quantity.getAmountInBytes(SparkMemory.containerMemory(Role.DRIVER, "1g", null)))
        .isEqualByComparingTo(String.valueOf((1024L + 384L) << 20));
  }
}
