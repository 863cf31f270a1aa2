package dev.spate.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins the Spark configuration keys and ConfigMap keys the job shares with the operator
 * (docs/CONTRACT.md). Changing one here means changing CONTRACT.md, the operator's constants and
 * its SparkConfContractTest too.
 */
class JobConfigContractTest {

  private static final Path CONTRACT = Path.of("..", "docs", "CONTRACT.md");

  @Test
  void jobKeysAreExactlyThoseOfTheContract() {
    assertThat(JobConfigKeys.JOB_KEYS)
        .containsExactly(
            "spark.spate.kafka.bootstrapServers",
            "spark.spate.kafka.inputTopics",
            "spark.spate.kafka.outputTopic",
            "spark.spate.kafka.deadLetterTopic",
            "spark.spate.kafka.consumerGroup",
            "spark.spate.kafka.startingOffsets",
            "spark.spate.kafka.maxOffsetsPerTrigger",
            "spark.spate.kafka.clientPropertiesFile",
            "spark.spate.trigger.processingTime",
            "spark.spate.checkpoint.location",
            "spark.spate.aggregation.keyField",
            "spark.spate.aggregation.valueField",
            "spark.spate.aggregation.eventTimeField",
            "spark.spate.aggregation.eventTimeFormat",
            "spark.spate.aggregation.stateTimeout",
            "spark.spate.terminationMessagePath");
    assertThat(JobConfigKeys.CONTROL_CONFIG_MAP).isEqualTo("spark.spate.control.configMap");
    assertThat(JobConfigKeys.ATTEMPT).isEqualTo("spark.spate.attempt");
    assertThat(JobConfigKeys.CURRENT_ATTEMPT).isEqualTo("attempt");
    assertThat(
            List.of(
                JobConfigKeys.DESIRED_EXECUTORS,
                JobConfigKeys.APPLIED_EXECUTORS,
                JobConfigKeys.APPLIED_AT))
        .containsExactly("desiredExecutors", "appliedExecutors", "appliedAt");
    assertThat(
            List.of(
                JobConfigKeys.DEFAULT_TRIGGER,
                JobConfigKeys.DEFAULT_STATE_TIMEOUT,
                JobConfigKeys.DEFAULT_TERMINATION_MESSAGE_PATH))
        .containsExactly("10s", "30m", "/dev/termination-log");
  }

  @Test
  void contractDocumentListsTheSameJobKeys() throws Exception {
    String doc = Files.readString(CONTRACT);
    String jobSection =
        doc.substring(
            doc.indexOf("## Spark configuration keys"), doc.indexOf("## Listener and plugin"));
    Set<String> documented = new LinkedHashSet<>();
    Matcher m =
        Pattern.compile("^\\| `(spark\\.spate\\.[A-Za-z.]+)` \\|", Pattern.MULTILINE)
            .matcher(jobSection);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertThat(documented).containsExactlyElementsOf(JobConfigKeys.JOB_KEYS);
    assertThat(doc)
        .contains("`" + JobConfigKeys.CONTROL_CONFIG_MAP + "`")
        .contains("spark.sql.streaming.streamingQueryListeners=" + OffsetCommitter.class.getName())
        .contains("`" + JobConfigKeys.DESIRED_EXECUTORS + "`")
        .contains("`" + JobConfigKeys.APPLIED_EXECUTORS + "`")
        .contains("`" + JobConfigKeys.APPLIED_AT + "`")
        .contains("`" + JobConfigKeys.ATTEMPT + "`")
        .contains("`" + JobConfigKeys.CURRENT_ATTEMPT + "`");
  }
}
