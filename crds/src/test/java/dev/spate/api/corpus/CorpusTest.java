package dev.spate.api.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spate.api.corpus.Corpus.Manifest;
import dev.spate.api.validation.CrdRuleEvaluator;
import dev.spate.api.validation.Violation;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every valid manifest passes the committed CRD's rules; every invalid one fails as it says. */
class CorpusTest {

  private static final CrdRuleEvaluator EVALUATOR = CrdRuleEvaluator.forStreamingJob();

  static List<Manifest> valid() {
    return Corpus.valid();
  }

  static List<Manifest> invalid() {
    return Corpus.invalid();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validManifestPasses(Manifest manifest) {
    assertThat(manifest.expect()).as("a valid manifest has no '# expect:' line").isNull();
    assertThat(EVALUATOR.validate(manifest.tree())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validManifestAlsoPassesAsAJavaObject(Manifest manifest) {
    assertThat(EVALUATOR.validate(manifest.job())).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalid")
  void invalidManifestFailsWithExactlyItsIntendedViolation(Manifest manifest) {
    assertThat(manifest.expect())
        .as("an invalid manifest states '# expect: <violation>'")
        .isNotBlank();
    List<String> violations =
        EVALUATOR.validate(manifest.tree()).stream()
            .filter(v -> !v.message().equals(CrdRuleEvaluator.RULES_SKIPPED))
            .map(Violation::toString)
            .toList();
    assertThat(violations).hasSize(1);
    assertThat(violations.get(0)).contains(manifest.expect());
  }
}
