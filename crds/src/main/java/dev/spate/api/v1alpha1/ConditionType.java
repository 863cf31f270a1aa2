package dev.spate.api.v1alpha1;

/** The condition types a StreamingJob's status carries ({@link Condition#getType()}). */
public enum ConditionType {
  /** True while the query runs and commits progress; False with the reason otherwise. */
  READY("Ready"),
  /** True while the operator works towards the spec: starting, restarting, rescaling. */
  PROGRESSING("Progressing"),
  /**
   * True while the job runs but something needs attention (e.g. partitions outgrew state
   * parallelism).
   */
  DEGRADED("Degraded");

  private final String value;

  ConditionType(String value) {
    this.value = value;
  }

  /**
   * @return the type as written in {@code status.conditions[].type}, e.g. {@code Ready}
   */
  public String value() {
    return value;
  }
}
