package dev.spate.operator.decide;

import dev.spate.api.v1alpha1.Condition;
import dev.spate.api.v1alpha1.ConditionType;
import dev.spate.api.v1alpha1.Phase;
import dev.spate.operator.kafka.KafkaSnapshot;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * The phase and the {@code Ready}, {@code Progressing} and {@code Degraded} conditions of a
 * StreamingJob, decided from what was observed: a pure function.
 *
 * <p>Conditions follow Kubernetes' and Strimzi's convention: {@code status} True/False, a CamelCase
 * {@link Reason}, a human message, and {@code lastTransitionTime} kept from the previous condition
 * while its {@code status} is unchanged.
 */
public final class StatusDecision {

  /**
   * What was observed.
   *
   * @param invalidSpec the first validation error, or null when the spec is valid
   * @param suspend {@code spec.suspend}
   * @param driver the driver pod's state
   * @param driverMessage the driver's termination message or pod reason, or null
   * @param executorsReady ready executor pods
   * @param executorsDesired executors the job should run
   * @param kafka the last Kafka snapshot, or null before the first poll
   */
  public record Observation(
      String invalidSpec,
      boolean suspend,
      DriverState driver,
      String driverMessage,
      int executorsReady,
      int executorsDesired,
      KafkaSnapshot kafka) {}

  /**
   * The decision.
   *
   * @param phase the phase
   * @param conditions Ready, Progressing, Degraded in this order
   */
  public record Decision(Phase phase, List<Condition> conditions) {}

  private StatusDecision() {}

  /**
   * Decides phase and conditions.
   *
   * @param o what was observed
   * @param previous the conditions in the current status (may be null)
   * @param now the time of this decision (lastTransitionTime of changed conditions)
   * @return the decision
   */
  public static Decision decide(Observation o, List<Condition> previous, Instant now) {
    Phase phase;
    Verdict ready;
    Verdict progressing;
    switch (o.driver()) {
      case ABSENT -> {
        if (o.suspend()) {
          phase = Phase.SUSPENDED;
          ready = no(Reason.SUSPENDED, "The job is suspended (spec.suspend); no driver runs.");
          progressing = no(Reason.SUSPENDED, "Nothing to do while suspended.");
        } else if (o.invalidSpec() != null) {
          phase = Phase.PENDING;
          ready = no(Reason.INVALID_SPEC, o.invalidSpec());
          progressing = no(Reason.INVALID_SPEC, "Nothing is deployed until the spec is fixed.");
        } else {
          phase = Phase.PENDING;
          ready = no(Reason.DRIVER_STARTING, "The driver pod is being created.");
          progressing = yes(Reason.DRIVER_STARTING, "The driver pod is being created.");
        }
      }
      case STARTING -> {
        phase = Phase.STARTING;
        ready = no(Reason.DRIVER_STARTING, "The driver pod is not ready yet.");
        progressing = yes(Reason.DRIVER_STARTING, "Waiting for the driver pod to become ready.");
      }
      case TERMINATING -> {
        phase = o.suspend() ? Phase.SUSPENDED : Phase.RESTARTING;
        Reason why = o.suspend() ? Reason.SUSPENDING : Reason.DRIVER_TERMINATING;
        ready = no(why, "The driver pod is stopping.");
        progressing = yes(why, "Waiting for the driver pod to stop.");
      }
      case SUCCEEDED -> {
        phase = Phase.FAILED;
        ready =
            no(
                Reason.DRIVER_SUCCEEDED,
                messageOr(
                    o.driverMessage(),
                    "The driver exited with code 0; a streaming query must not finish."));
        progressing = no(Reason.DRIVER_SUCCEEDED, "The driver has ended.");
      }
      case FAILED -> {
        phase = Phase.FAILED;
        ready = no(Reason.DRIVER_FAILED, messageOr(o.driverMessage(), "The driver failed."));
        progressing = no(Reason.DRIVER_FAILED, "The driver has ended.");
      }
      default -> {
        boolean scaled = o.executorsReady() == o.executorsDesired();
        phase = o.suspend() ? Phase.SUSPENDED : scaled ? Phase.RUNNING : Phase.RESCALING;
        ready =
            o.suspend()
                ? no(Reason.SUSPENDING, "The driver pod is being stopped (spec.suspend).")
                : yes(
                    Reason.RUNNING,
                    "The driver is ready; "
                        + o.executorsReady()
                        + "/"
                        + o.executorsDesired()
                        + " executors ready.");
        progressing =
            o.suspend()
                ? yes(Reason.SUSPENDING, "Waiting for the driver pod to stop.")
                : scaled
                    ? no(Reason.STABLE, "Executors match the desired count.")
                    : yes(
                        Reason.EXECUTORS_SCALING,
                        o.executorsReady()
                            + " of "
                            + o.executorsDesired()
                            + " desired executors are ready.");
      }
    }
    if (o.invalidSpec() != null && o.driver() != DriverState.ABSENT) {
      // the driver of an earlier valid spec keeps running, but the job is not what was asked for
      ready = no(Reason.INVALID_SPEC, o.invalidSpec());
    }
    Verdict degraded = degraded(o);
    return new Decision(
        phase,
        List.of(
            condition(ConditionType.READY, ready, previous, now),
            condition(ConditionType.PROGRESSING, progressing, previous, now),
            condition(ConditionType.DEGRADED, degraded, previous, now)));
  }

  /**
   * A decision with one condition replaced (a later rule of the reconciler: restart underway, give
   * up, incompatible edit, state parallelism warning); {@code lastTransitionTime} kept from the
   * previous condition while its status is unchanged.
   *
   * @param d the decision
   * @param phase the phase, or null to keep the decision's
   * @param type the condition to replace, or null to replace none
   * @param status its status
   * @param reason its CamelCase reason
   * @param message its message
   * @param previous the conditions in the current status (may be null)
   * @param now the time of this decision
   * @return the new decision
   */
  public static Decision override(
      Decision d,
      Phase phase,
      ConditionType type,
      boolean status,
      Reason reason,
      String message,
      List<Condition> previous,
      Instant now) {
    List<Condition> conditions = d.conditions();
    if (type != null) {
      String value = status ? Condition.TRUE : Condition.FALSE;
      String since =
          Optional.ofNullable(previous).orElse(List.of()).stream()
              .filter(
                  c ->
                      c.is(type)
                          && value.equals(c.getStatus())
                          && c.getLastTransitionTime() != null)
              .map(Condition::getLastTransitionTime)
              .findFirst()
              .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
      Condition replacement = new Condition(type, value, reason.value(), message, since);
      conditions = conditions.stream().map(c -> c.is(type) ? replacement : c).toList();
    }
    return new Decision(phase == null ? d.phase() : phase, conditions);
  }

  private static Verdict degraded(Observation o) {
    if (o.invalidSpec() != null) {
      return yes(Reason.INVALID_SPEC, o.invalidSpec());
    }
    if (o.driver() == DriverState.FAILED) {
      return yes(Reason.DRIVER_FAILED, messageOr(o.driverMessage(), "The driver failed."));
    }
    if (o.driver() == DriverState.SUCCEEDED) {
      return yes(Reason.DRIVER_SUCCEEDED, "The driver exited; a streaming query must not finish.");
    }
    if (o.kafka() != null && !o.kafka().ok()) {
      return yes(o.kafka().problem().reason(), o.kafka().problem().message());
    }
    return no(Reason.AS_EXPECTED, "No problem observed.");
  }

  private static Condition condition(
      ConditionType type, Verdict verdict, List<Condition> previous, Instant now) {
    String status = verdict.status() ? Condition.TRUE : Condition.FALSE;
    String since =
        Optional.ofNullable(previous).orElse(List.of()).stream()
            .filter(
                c ->
                    c.is(type) && status.equals(c.getStatus()) && c.getLastTransitionTime() != null)
            .map(Condition::getLastTransitionTime)
            .findFirst()
            .orElse(now.truncatedTo(ChronoUnit.SECONDS).toString());
    return new Condition(type, status, verdict.reason().value(), verdict.message(), since);
  }

  private static String messageOr(String message, String fallback) {
    return message == null || message.isBlank() ? fallback : message;
  }

  private record Verdict(boolean status, Reason reason, String message) {}

  private static Verdict yes(Reason reason, String message) {
    return new Verdict(true, reason, message);
  }

  private static Verdict no(Reason reason, String message) {
    return new Verdict(false, reason, message);
  }
}
