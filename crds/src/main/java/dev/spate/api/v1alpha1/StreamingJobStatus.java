package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the operator observed and did, written only by the operator through the status subresource.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({
  "phase",
  "observedGeneration",
  "conditions",
  "attempt",
  "sparkApplicationId",
  "driver",
  "executors",
  "kafka",
  "stateParallelism",
  "restarts",
  "lastAppliedSpec"
})
public class StreamingJobStatus {

  @JsonPropertyDescription("Lifecycle phase: the PHASE printer column.")
  private Phase phase;

  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Conditions Ready, Progressing, Degraded, at most one of each type.")
  private List<Condition> conditions;

  @JsonPropertyDescription(
      "Number of the current driver: 1 for the first, +1 for every restart; part of the driver pod name and the Spark application id.")
  private Integer attempt;

  @JsonPropertyDescription(
      "spark.app.id of the current driver (deterministic, chosen by the operator).")
  private String sparkApplicationId;

  @JsonPropertyDescription("The current driver pod.")
  private DriverStatus driver;

  @JsonPropertyDescription("Desired and ready executors: the EXECUTORS printer column.")
  private ExecutorsStatus executors;

  @JsonPropertyDescription("Partitions, lag and last committed micro-batch read from Kafka.")
  private KafkaStatus kafka;

  @JsonPropertyDescription(
      "spark.sql.shuffle.partitions of the checkpoint: the number of state store partitions, fixed at the first start and restored from the checkpoint afterwards.")
  private Integer stateParallelism;

  @JsonPropertyDescription("Driver restarts: the RESTARTS printer column.")
  private RestartsStatus restarts;

  @JsonPropertyDescription(
      "The spec the current driver was built from, as compact JSON: compared with the current spec to classify a change (live, restart from checkpoint, incompatible with the checkpoint), also by an operator that restarted and kept nothing in memory.")
  private String lastAppliedSpec;

  /**
   * Lifecycle phase: the PHASE printer column.
   *
   * @return the phase
   */
  public Phase getPhase() {
    return phase;
  }

  /**
   * @param phase see {@link #getPhase()}
   */
  public void setPhase(Phase phase) {
    this.phase = phase;
  }

  /**
   * {@code metadata.generation} of the spec this status describes.
   *
   * @return the generation
   */
  public Long getObservedGeneration() {
    return observedGeneration;
  }

  /**
   * @param observedGeneration see {@link #getObservedGeneration()}
   */
  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  /**
   * Conditions {@code Ready}, {@code Progressing}, {@code Degraded}, at most one of each type.
   *
   * @return the conditions, or {@code null}
   */
  public List<Condition> getConditions() {
    return conditions;
  }

  /**
   * @param conditions see {@link #getConditions()}
   */
  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions;
  }

  /**
   * The condition of a type, if present.
   *
   * @param type the type
   * @return the condition
   */
  public Optional<Condition> condition(ConditionType type) {
    return conditions == null
        ? Optional.empty()
        : conditions.stream().filter(c -> c.is(type)).findFirst();
  }

  /**
   * Replaces the condition of the same type, or appends it.
   *
   * @param condition the new condition
   */
  public void putCondition(Condition condition) {
    List<Condition> next = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
    next.removeIf(c -> c.getType() != null && c.getType().equals(condition.getType()));
    next.add(condition);
    conditions = next;
  }

  /**
   * Number of the current driver: 1 for the first, +1 for every restart; part of the driver pod
   * name and the Spark application id.
   *
   * @return the attempt
   */
  public Integer getAttempt() {
    return attempt;
  }

  /**
   * @param attempt see {@link #getAttempt()}
   */
  public void setAttempt(Integer attempt) {
    this.attempt = attempt;
  }

  /**
   * {@code spark.app.id} of the current driver (deterministic, chosen by the operator).
   *
   * @return the application id
   */
  public String getSparkApplicationId() {
    return sparkApplicationId;
  }

  /**
   * @param sparkApplicationId see {@link #getSparkApplicationId()}
   */
  public void setSparkApplicationId(String sparkApplicationId) {
    this.sparkApplicationId = sparkApplicationId;
  }

  /**
   * The current driver pod.
   *
   * @return the driver, or {@code null}
   */
  public DriverStatus getDriver() {
    return driver;
  }

  /**
   * @param driver see {@link #getDriver()}
   */
  public void setDriver(DriverStatus driver) {
    this.driver = driver;
  }

  /**
   * Desired and ready executors: the EXECUTORS printer column.
   *
   * @return the executors, or {@code null}
   */
  public ExecutorsStatus getExecutors() {
    return executors;
  }

  /**
   * @param executors see {@link #getExecutors()}
   */
  public void setExecutors(ExecutorsStatus executors) {
    this.executors = executors;
  }

  /**
   * Partitions, lag and last committed micro-batch read from Kafka.
   *
   * @return the Kafka status, or {@code null}
   */
  public KafkaStatus getKafka() {
    return kafka;
  }

  /**
   * @param kafka see {@link #getKafka()}
   */
  public void setKafka(KafkaStatus kafka) {
    this.kafka = kafka;
  }

  /**
   * {@code spark.sql.shuffle.partitions} of the checkpoint: the number of state store partitions,
   * fixed at the first start and restored from the checkpoint afterwards.
   *
   * @return the state parallelism, or {@code null}
   */
  public Integer getStateParallelism() {
    return stateParallelism;
  }

  /**
   * @param stateParallelism see {@link #getStateParallelism()}
   */
  public void setStateParallelism(Integer stateParallelism) {
    this.stateParallelism = stateParallelism;
  }

  /**
   * Driver restarts: the RESTARTS printer column.
   *
   * @return the restarts, or {@code null}
   */
  public RestartsStatus getRestarts() {
    return restarts;
  }

  /**
   * @param restarts see {@link #getRestarts()}
   */
  public void setRestarts(RestartsStatus restarts) {
    this.restarts = restarts;
  }

  /**
   * The spec the current driver was built from, as compact JSON: compared with the current spec to
   * classify a change (live, restart from checkpoint, incompatible with the checkpoint), also by an
   * operator that restarted and kept nothing in memory.
   *
   * @return the JSON text, or {@code null}
   */
  public String getLastAppliedSpec() {
    return lastAppliedSpec;
  }

  /**
   * @param lastAppliedSpec see {@link #getLastAppliedSpec()}
   */
  public void setLastAppliedSpec(String lastAppliedSpec) {
    this.lastAppliedSpec = lastAppliedSpec;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof StreamingJobStatus that)) {
      return false;
    }
    return Objects.equals(phase, that.phase)
        && Objects.equals(observedGeneration, that.observedGeneration)
        && Objects.equals(conditions, that.conditions)
        && Objects.equals(attempt, that.attempt)
        && Objects.equals(sparkApplicationId, that.sparkApplicationId)
        && Objects.equals(driver, that.driver)
        && Objects.equals(executors, that.executors)
        && Objects.equals(kafka, that.kafka)
        && Objects.equals(stateParallelism, that.stateParallelism)
        && Objects.equals(restarts, that.restarts)
        && Objects.equals(lastAppliedSpec, that.lastAppliedSpec);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        phase,
        observedGeneration,
        conditions,
        attempt,
        sparkApplicationId,
        driver,
        executors,
        kafka,
        stateParallelism,
        restarts,
        lastAppliedSpec);
  }

  @Override
  public String toString() {
    return "StreamingJobStatus{"
        + "phase="
        + phase
        + ", observedGeneration="
        + observedGeneration
        + ", conditions="
        + conditions
        + ", attempt="
        + attempt
        + ", sparkApplicationId="
        + sparkApplicationId
        + ", driver="
        + driver
        + ", executors="
        + executors
        + ", kafka="
        + kafka
        + ", stateParallelism="
        + stateParallelism
        + ", restarts="
        + restarts
        + ", lastAppliedSpec="
        + lastAppliedSpec
        + "}";
  }
}
