package dev.spate.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * A bring-your-own Spark application, run instead of the bundled job: the driver container runs
 * {@code driver --properties-file <conf> --class <mainClass> <jar> <args...>} as spark-submit's
 * cluster mode does.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"mainClass", "jar", "args"})
@ValidationRule(
    value = "has(self.mainClass) == has(self.jar)",
    message =
        "application.mainClass and application.jar go together: set both to run your own"
            + " application, neither to run the bundled job")
public class ApplicationSpec {

  @JsonPropertyDescription(
      "Fully qualified main class (spark-submit --class). Default: the bundled job's dev.spate.job.StatefulAggregationJob.")
  @Size(min = 1, max = 512)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.JAVA_CLASS + "')",
      message =
          "application.mainClass must be a fully qualified Java class name (e.g. com.example.MyJob)")
  private String mainClass;

  @JsonPropertyDescription(
      "The application jar as Spark resolves it inside the image, e.g. local:///opt/spark/jars/app.jar (spark.jars primary resource). Default: the bundled job's jar in the default image.")
  @Size(min = 1, max = 1024)
  @ValidationRule(
      value = "self.matches('" + ApiPatterns.URI_WITH_SCHEME + "')",
      message =
          "application.jar must be a URI with a scheme, e.g. local:///opt/spark/jars/my-job.jar")
  private String jar;

  @JsonPropertyDescription("Arguments passed to the main class after the jar. Default: none.")
  @Size(max = 100)
  private List<@Size(max = 4096) String> args;

  /**
   * Fully qualified main class (spark-submit {@code --class}). Default: the bundled job's {@code
   * dev.spate.job.StatefulAggregationJob}.
   *
   * @return the class name, or {@code null} for the bundled job
   */
  public String getMainClass() {
    return mainClass;
  }

  /**
   * @param mainClass see {@link #getMainClass()}
   */
  public void setMainClass(String mainClass) {
    this.mainClass = mainClass;
  }

  /**
   * The application jar as Spark resolves it inside the image, e.g. {@code
   * local:///opt/spark/jars/app.jar} ({@code spark.jars} primary resource). Default: the bundled
   * job's jar in the default image.
   *
   * @return the jar URI, or {@code null} for the bundled job
   */
  public String getJar() {
    return jar;
  }

  /**
   * @param jar see {@link #getJar()}
   */
  public void setJar(String jar) {
    this.jar = jar;
  }

  /**
   * Arguments passed to the main class after the jar. Default: none.
   *
   * @return the arguments, or {@code null}
   */
  public List<String> getArgs() {
    return args;
  }

  /**
   * @param args see {@link #getArgs()}
   */
  public void setArgs(List<String> args) {
    this.args = args;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof ApplicationSpec that)) {
      return false;
    }
    return Objects.equals(mainClass, that.mainClass)
        && Objects.equals(jar, that.jar)
        && Objects.equals(args, that.args);
  }

  @Override
  public int hashCode() {
    return Objects.hash(mainClass, jar, args);
  }

  @Override
  public String toString() {
    return "ApplicationSpec{" + "mainClass=" + mainClass + ", jar=" + jar + ", args=" + args + "}";
  }
}
