package dev.spate.operator.resources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.spark.JobPlan;
import org.junit.jupiter.api.Test;

/** The labels spark-submit's cluster mode puts on a driver pod, on Spate's driver pod. */
class DriverLabelsTest {

  @Test
  void theDriverPodCarriesSparksFourLabels() {
    JobPlan plan =
        JobPlan.of(TestJobs.load("minimal"), OperatorConfig.defaults(), 2)
            .forAttempt(2, 8, 2, true);
    assertThat(DriverPod.build(plan).getMetadata().getLabels())
        .containsEntry("spark-role", "driver")
        .containsEntry("spark-app-selector", plan.appId())
        .containsEntry("spark-version", "3.5.3")
        .containsEntry("spark-app-name", "clicks-per-user")
        .containsEntry(Labels.JOB, "clicks-per-user")
        .containsEntry(Labels.ATTEMPT, "2");
  }

  @Test
  void appNameLabelFollowsSparksRuleAndIsAValidLabelValue() {
    assertThat(Labels.appNameLabel("clicks-per-user")).isEqualTo("clicks-per-user");
    assertThat(Labels.appNameLabel(" Team.A_clicks--per  user "))
        .isEqualTo("team-a-clicks-per-user");
    String cut = Labels.appNameLabel("x".repeat(62) + ".yz");
    assertThat(cut).as("cut to 63, no trailing '-'").isEqualTo("x".repeat(62));
    assertThat(Labels.appNameLabel("a".repeat(70))).hasSize(63);
  }
}
