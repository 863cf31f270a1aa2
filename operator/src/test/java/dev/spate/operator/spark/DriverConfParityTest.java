package dev.spate.operator.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.v1alpha1.ApplicationSpec;
import dev.spate.api.v1alpha1.StreamingJob;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.operator.TestJobs;
import dev.spate.operator.config.OperatorConfig;
import dev.spate.operator.decide.SparkMemory;
import dev.spate.operator.resources.DriverPod;
import dev.spate.operator.resources.DriverService;
import dev.spate.operator.spark.DriverConfParity.Rule;
import dev.spate.operator.spark.DriverConfParity.Verdict;
import dev.spate.operator.validate.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The table "Spark keys on the driver" of docs/CONTRACT.md: it is {@link DriverConfParity#RULES},
 * and each of its rows does what it says when its example is set in a job's {@code sparkConf}.
 */
class DriverConfParityTest {

  private static final Path CONTRACT = Path.of("../docs/CONTRACT.md");
  private static final String HEADING = "## Spark keys on the driver";
  private static final SpecValidator VALIDATOR =
      new SpecValidator(CrdRuleEvaluator.forStreamingJob(), OperatorConfig.defaults());
  private static final SpecValidator.World ALL_SECRETS =
      (namespace, name) -> Optional.of(Set.of("client.properties"));

  @Test
  void theContractsTableIsTheOperatorsTable() throws Exception {
    assertThat(String.join("\n", tableLines()))
        .as("docs/CONTRACT.md '%s' (expected = DriverConfParity.RULES)", HEADING)
        .isEqualTo(String.join("\n", render(DriverConfParity.RULES)));
  }

  @Test
  void everyRowOfTheContractsTableDoesWhatItSays() throws Exception {
    List<Rule> rows = parse(tableLines());
    assertThat(rows).hasSizeGreaterThanOrEqualTo(20);
    for (Rule row : rows) {
      Map.Entry<String, String> example = row.exampleEntry();
      StreamingJob job = bringYourOwn(Map.of(example.getKey(), example.getValue()));
      JobPlan plan = JobPlan.of(job, OperatorConfig.defaults(), 2);
      JobPlan without = JobPlan.of(bringYourOwn(Map.of()), OperatorConfig.defaults(), 2);
      List<String> problems = VALIDATOR.problems(job, ALL_SECRETS);
      String what = row.key() + " = " + example;
      switch (row.verdict()) {
        case REJECTED -> {
          // at apply time: the CRD's CEL rule on sparkConf names the key and its spec fields
          assertThat(problems)
              .as(what)
              .singleElement()
              .asString()
              .startsWith("spec.sparkConf: ")
              .contains(row.key().replaceAll("<[^>]*>$", ""));
          // for objects that bypassed admission: the operator's own message, this key only
          List<String> operator =
              DriverConfParity.problems(Map.of(example.getKey(), example.getValue()));
          assertThat(operator).as(what).hasSize(1);
          assertThat(operator.get(0))
              .as(what)
              .startsWith("spec.sparkConf[" + example.getKey() + "]: ");
          Matcher fields = Pattern.compile("spec\\.[a-zA-Z.]+[a-zA-Z]").matcher(row.what());
          assertThat(fields.find()).as("%s names a spec field", what).isTrue();
          do {
            assertThat(operator.get(0)).as(what).contains(fields.group());
            assertThat(problems.get(0)).as(what).contains(fields.group());
          } while (fields.find());
        }
        case APPLIED -> {
          assertThat(problems).as(what).isEmpty();
          assertThat(SparkProperties.of(plan))
              .as(what)
              .containsEntry(example.getKey(), example.getValue());
          boolean podChanged = !DriverPod.build(plan).equals(DriverPod.build(without));
          boolean serviceChanged = !DriverService.build(plan).equals(DriverService.build(without));
          assertThat(podChanged || serviceChanged).as("%s changes the driver pod", what).isTrue();
        }
        case PASSED -> {
          assertThat(problems).as(what).isEmpty();
          assertThat(SparkProperties.of(plan))
              .as(what)
              .containsEntry(example.getKey(), example.getValue());
          assertThat(DriverPod.build(plan)).as(what).isEqualTo(DriverPod.build(without));
          assertThat(DriverService.build(plan)).as(what).isEqualTo(DriverService.build(without));
        }
        case MERGED -> {
          assertThat(problems).as(what).isEmpty();
          assertThat(SparkProperties.of(plan).get(example.getKey()))
              .as(what)
              .contains(example.getValue())
              .isNotEqualTo(example.getValue());
        }
      }
    }
  }

  @Test
  void appliedKeysReachTheDriverPodAsSparkSubmitWouldApplyThem() {
    JobPlan plan =
        JobPlan.of(
            bringYourOwn(
                Map.of(
                    "spark.kubernetes.container.image.pullPolicy", "Always",
                    "spark.kubernetes.driverEnv.TZ", "UTC",
                    "spark.ui.port", "4050")),
            OperatorConfig.defaults(),
            2);
    Pod pod = DriverPod.build(plan);
    Container driver = pod.getSpec().getContainers().get(0);
    assertThat(driver.getImagePullPolicy()).isEqualTo("Always");
    assertThat(driver.getEnv())
        .anySatisfy(
            e ->
                assertThat(e)
                    .extracting(EnvVar::getName, EnvVar::getValue)
                    .containsExactly("TZ", "UTC"))
        .anySatisfy(e -> assertThat(e.getName()).isEqualTo("SPARK_DRIVER_BIND_ADDRESS"));
    assertThat(driver.getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("spark-ui");
              assertThat(p.getContainerPort()).isEqualTo(4050);
            });
    assertThat(DriverService.build(plan).getSpec().getPorts())
        .anySatisfy(
            p -> {
              assertThat(p.getName()).isEqualTo("spark-ui");
              assertThat(p.getPort()).isEqualTo(4050);
              assertThat(p.getTargetPort().getIntVal()).isEqualTo(4050);
            });
    assertThat(
            DriverPod.build(JobPlan.of(bringYourOwn(Map.of()), OperatorConfig.defaults(), 2))
                .getSpec()
                .getContainers()
                .get(0)
                .getImagePullPolicy())
        .as("Spark's default")
        .isEqualTo("IfNotPresent");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "spark.kubernetes.container.image.pullPolicy | Sometimes | not a pull policy",
        "spark.ui.port | 0 | outside 1024 to 65535",
        "spark.ui.port | 80 | outside 1024 to 65535",
        "spark.ui.port | 7078 | RPC or block manager port",
        "spark.ui.port | http | not a port number",
        "spark.driver.memoryOverhead | 1Gi | Kubernetes suffix",
        "spark.executor.memoryOverhead | 512Mi | Kubernetes suffix",
        "spark.driver.memoryOverhead | 1.5g | fractional",
      })
  void appliedKeysWithValuesTheDriverPodCannotTakeAreRejected(
      String key, String value, String message) {
    List<String> problems = VALIDATOR.problems(bringYourOwn(Map.of(key, value)), ALL_SECRETS);
    assertThat(problems).hasSize(1);
    assertThat(problems.get(0)).startsWith("spec.sparkConf[" + key + "]: ").contains(message);
  }

  @Test
  void theLegacyOverheadFactorSizesTheDriverWhereTheRolesOwnFactorIsUnset() {
    Map<String, String> legacy = Map.of("spark.kubernetes.memoryOverheadFactor", "0.5");
    assertThat(SparkMemory.overheadMib(SparkMemory.Role.DRIVER, 4096, legacy)).isEqualTo(2048);
    assertThat(SparkMemory.overheadMib(SparkMemory.Role.EXECUTOR, 4096, legacy)).isEqualTo(2048);
    assertThat(
            SparkMemory.overheadMib(
                SparkMemory.Role.DRIVER,
                4096,
                Map.of(
                    "spark.kubernetes.memoryOverheadFactor", "0.5",
                    "spark.driver.memoryOverheadFactor", "0.25")))
        .as("the role's own factor wins")
        .isEqualTo(1024);
    StreamingJob job = bringYourOwn(legacy);
    job.getSpec().getDriver().setMemory("4g");
    assertThat(
            DriverPod.build(JobPlan.of(job, OperatorConfig.defaults(), 2))
                .getSpec()
                .getContainers()
                .get(0)
                .getResources()
                .getLimits()
                .get("memory")
                .toString())
        .isEqualTo("6144Mi");
    assertThat(
            VALIDATOR.problems(
                bringYourOwn(Map.of("spark.kubernetes.memoryOverheadFactor", "2")), ALL_SECRETS))
        .singleElement()
        .asString()
        .contains("spark.kubernetes.memoryOverheadFactor must be in (0, 1]");
  }

  @Test
  void specDriverEnvHandsSecretsToTheDriverAndWinsOverSparkConf() {
    StreamingJob job = bringYourOwn(Map.of("spark.kubernetes.driverEnv.TZ", "UTC"));
    job.getSpec()
        .getDriver()
        .setEnv(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                    .withName("API_TOKEN")
                    .withNewValueFrom()
                    .withNewSecretKeyRef()
                    .withName("api")
                    .withKey("token")
                    .endSecretKeyRef()
                    .endValueFrom()
                    .build(),
                new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                    .withName("TZ")
                    .withValue("Europe/Paris")
                    .build()));
    assertThat(VALIDATOR.problems(job, ALL_SECRETS)).isEmpty();
    List<EnvVar> env =
        DriverPod.build(JobPlan.of(job, OperatorConfig.defaults(), 2))
            .getSpec()
            .getContainers()
            .get(0)
            .getEnv();
    List<String> names = env.stream().map(EnvVar::getName).toList();
    assertThat(names.lastIndexOf("TZ"))
        .as("spec.driver.env after sparkConf's driverEnv: the later entry wins in Kubernetes")
        .isGreaterThan(names.indexOf("TZ"));
    assertThat(env.get(names.lastIndexOf("TZ")).getValue()).isEqualTo("Europe/Paris");
    assertThat(env.get(names.indexOf("API_TOKEN")).getValueFrom().getSecretKeyRef().getKey())
        .isEqualTo("token");

    job.getSpec()
        .getDriver()
        .setEnv(
            List.of(
                new io.fabric8.kubernetes.api.model.EnvVarBuilder()
                    .withName("SPARK_CONF_DIR")
                    .withValue("/tmp")
                    .build()));
    assertThat(VALIDATOR.problems(job, ALL_SECRETS))
        .singleElement()
        .asString()
        .contains("spec.driver.env")
        .contains("SPARK_CONF_DIR");
  }

  /** The minimal job running an application of its own, with a driver section and this conf. */
  private static StreamingJob bringYourOwn(Map<String, String> sparkConf) {
    StreamingJob job = TestJobs.load("minimal");
    ApplicationSpec app = new ApplicationSpec();
    app.setMainClass("com.example.Counts");
    app.setJar("local:///opt/app/counts.jar");
    job.getSpec().setApplication(app);
    job.getSpec().setDriver(new dev.spate.api.v1alpha1.DriverSpec());
    job.getSpec().setSparkConf(sparkConf);
    return job;
  }

  private static List<String> tableLines() throws Exception {
    List<String> lines = Files.readAllLines(CONTRACT);
    int start = lines.indexOf(HEADING);
    assertThat(start).as("heading '%s' in %s", HEADING, CONTRACT).isNotNegative();
    List<String> table = new ArrayList<>();
    for (int i = start + 1; i < lines.size() && !lines.get(i).startsWith("## "); i++) {
      if (lines.get(i).startsWith("|")) {
        table.add(lines.get(i));
      } else if (!table.isEmpty()) {
        break;
      }
    }
    return table;
  }

  private static List<String> render(List<Rule> rules) {
    List<String> out = new ArrayList<>();
    out.add("| Spark key | example | Spate | what it does |");
    out.add("|---|---|---|---|");
    for (Rule r : rules) {
      out.add(
          "| `"
              + r.key()
              + "` | `"
              + r.example()
              + "` | "
              + r.verdict().name().toLowerCase(Locale.ROOT)
              + " | "
              + r.what()
              + " |");
    }
    return out;
  }

  private static List<Rule> parse(List<String> table) {
    List<Rule> rules = new ArrayList<>();
    for (String line : table.subList(2, table.size())) {
      String[] cells = line.substring(1, line.length() - 1).split(" \\| ");
      assertThat(cells).as(line).hasSize(4);
      rules.add(
          new Rule(
              cells[0].trim().replace("`", ""),
              cells[1].trim().replace("`", ""),
              Verdict.valueOf(cells[2].trim().toUpperCase(Locale.ROOT)),
              cells[3].trim()));
    }
    return rules;
  }
}
