package org.pxlab.runtime.testkit;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Enables the kit runs over deliberately broken components only when the kits' self-test
 * launches them ({@link ContractKitsRejectBrokenImplementationsTest} sets the configuration
 * parameter {@value #PARAMETER}). Surefire already skips them by name; this also keeps an
 * IDE's "run all tests in package" from reporting their expected failures as real ones.
 */
public final class KitSelfTestOnly implements ExecutionCondition {
    /** The configuration parameter that enables the broken components' kit runs. */
    public static final String PARAMETER = "pxlab.testkit.self-test";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).map(Boolean::parseBoolean).orElse(false)
                ? ConditionEvaluationResult.enabled("launched by the contract kits' self-test")
                : ConditionEvaluationResult.disabled("a deliberately broken component: run only by"
                        + " ContractKitsRejectBrokenImplementationsTest, which expects some of these tests to fail");
    }
}
