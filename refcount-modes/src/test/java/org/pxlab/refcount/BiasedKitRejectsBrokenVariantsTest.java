package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.pxlab.runtime.testkit.KitSelfTestOnly;

/**
 * The refcount kit catches broken biased counts: one that never merges its queues (objects a
 * non-owner dropped last are never freed) and one that skips the queue (frees when the shared
 * count alone reaches zero). The kit's other tests still pass on them, so the failures come
 * from the defect, not from the harness.
 */
class BiasedKitRejectsBrokenVariantsTest {
    private static final String TEST = "objectsDroppedByOwnerAndOthersAreFreedExactlyOnce";

    private static Map<String, TestExecutionResult> run(Class<?> kitRun) {
        Map<String, TestExecutionResult> out = new HashMap<>();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(kitRun))
                .configurationParameter(KitSelfTestOnly.PARAMETER, "true").execute()
                .testEvents().finished().stream().forEach((Event e) -> out.put(
                        e.getTestDescriptor().getSource().filter(MethodSource.class::isInstance)
                                .map(s -> ((MethodSource) s).getMethodName()).orElse("?"),
                        e.getRequiredPayload(TestExecutionResult.class)));
        return out;
    }

    @Test
    void aStrategyThatNeverMergesItsQueuesLeaksAndFails() {
        Map<String, TestExecutionResult> r = run(NeverMergesBiasedKitRun.class);
        assertThat(r.get(TEST).getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(r.get(TEST).getThrowable().orElseThrow()).hasMessageContaining("times object");
        assertThat(r.get("decrefReportsZeroExactlyOnceAtTheLastReference").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    @Test
    void aStrategyThatFreesAtSharedZeroFreesEarlyAndFails() {
        Map<String, TestExecutionResult> r = run(FreesAtSharedZeroBiasedKitRun.class);
        assertThat(r.get(TEST).getStatus()).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(r.get(TEST).getThrowable().orElseThrow()).hasMessageContaining("with references left");
        assertThat(r.get("decrefReportsZeroExactlyOnceAtTheLastReference").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }
}
