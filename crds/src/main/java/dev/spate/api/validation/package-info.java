/**
 * Validation of StreamingJob manifests by the rules of the committed CRD itself, so the operator
 * and the API server apply the same rules: {@link dev.spate.api.validation.CrdRuleEvaluator}.
 */
package dev.spate.api.validation;
