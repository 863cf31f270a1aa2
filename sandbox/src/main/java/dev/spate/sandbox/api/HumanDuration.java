package dev.spate.sandbox.api;

import java.time.Duration;

/**
 * The short age strings {@code kubectl get} shows ({@code 45s}, {@code 3m12s}, {@code 5h4m}, {@code
 * 3d}), as the API server renders them for {@code date} printer columns: the rounding steps of
 * Kubernetes' {@code HumanDuration} (k8s.io/apimachinery {@code pkg/util/duration}): seconds below
 * 2 minutes, minutes and seconds below 10 minutes, minutes below 3 hours, hours and minutes below 8
 * hours, hours below 2 days, days and hours below 8 days, days below 2 years, years and days below
 * 8 years, else years.
 */
public final class HumanDuration {

  private HumanDuration() {}

  /**
   * @param d the age (negative beyond one second is {@code <invalid>}, clock skew below it {@code
   *     0s})
   * @return the short form
   */
  public static String format(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < -1) {
      return "<invalid>";
    }
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long minutes = seconds / 60;
    if (minutes < 10) {
      long s = seconds % 60;
      return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
    }
    if (minutes < 180) {
      return minutes + "m";
    }
    long hours = minutes / 60;
    if (hours < 8) {
      long m = minutes % 60;
      return m == 0 ? hours + "h" : hours + "h" + m + "m";
    }
    if (hours < 48) {
      return hours + "h";
    }
    if (hours < 24 * 8) {
      long h = hours % 24;
      return h == 0 ? (hours / 24) + "d" : (hours / 24) + "d" + h + "h";
    }
    if (hours < 24 * 365 * 2) {
      return (hours / 24) + "d";
    }
    if (hours < 24 * 365 * 8) {
      long days = (hours / 24) % 365;
      return days == 0 ? (hours / 24 / 365) + "y" : (hours / 24 / 365) + "y" + days + "d";
    }
    return (hours / 24 / 365) + "y";
  }
}
