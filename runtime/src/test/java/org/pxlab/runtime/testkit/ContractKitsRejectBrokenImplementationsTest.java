package org.pxlab.runtime.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

/**
 * The contract kits can fail: run over deliberately broken components, the tests that
 * target each defect fail, and the tests of what the component does right pass. Without this a
 * kit could pass everything for the wrong reason (a stress test whose threads never overlap, a
 * shadow map that is never consulted) and nobody would know.
 *
 * <p>The kit runs ({@code *KitRun}) are launched here through JUnit's {@link EngineTestKit},
 * with the configuration parameter that {@link KitSelfTestOnly} waits for; the correct
 * counterparts ({@link CheckedMallocAllocatorContractTest},
 * {@link AtomicControlRefCountContractTest}) run as ordinary tests.
 */
class ContractKitsRejectBrokenImplementationsTest {

    /** A kit test's outcome: SUCCESSFUL, FAILED or ABORTED (an assumption), with its failure. */
    private record Outcome(TestExecutionResult.Status status, Throwable failure) {
        @Override
        public String toString() {
            return status + (failure == null ? "" : " (" + failure.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static Map<String, Outcome> runKit(Class<?> kitRun) {
        EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                .configurationParameter(KitSelfTestOnly.PARAMETER, "true")
                .selectors(DiscoverySelectors.selectClass(kitRun))
                .execute();
        Map<String, Outcome> outcomes = new TreeMap<>();
        for (Event e : results.testEvents().finished().list()) {
            TestExecutionResult r = e.getRequiredPayload(TestExecutionResult.class);
            outcomes.put(methodName(e), new Outcome(r.getStatus(), r.getThrowable().orElse(null)));
        }
        System.out.println(kitRun.getSimpleName() + ":");
        outcomes.forEach((test, outcome) -> System.out.println("  " + test + ": " + outcome));
        return outcomes;
    }

    private static String methodName(Event e) {
        return e.getTestDescriptor().getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .map(MethodSource::getMethodName).orElse(e.getTestDescriptor().getDisplayName());
    }

    /** The tests a kit declares: every one must have run, or an inherited test went undiscovered. */
    private static List<String> testsOf(Class<?> kit) {
        return Arrays.stream(kit.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(Test.class))
                .map(Method::getName).sorted().toList();
    }

    @Test
    void allocatorKitRejectsAnAllocatorThatHandsOutOverlappingBlocks() {
        Map<String, Outcome> outcomes = runKit(OverlappingAllocatorKitRun.class);
        assertThat(outcomes.keySet()).as("kit tests run").containsExactlyInAnyOrderElementsOf(testsOf(AllocatorContract.class));

        Outcome overlap = outcomes.get("liveBlocksNeverOverlap");
        assertThat(overlap.status()).as("liveBlocksNeverOverlap").isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(overlap.failure()).hasMessageContaining("overlaps the live block");
        Outcome stress = outcomes.get("twoThreadsAllocateAndFreeConcurrentlyIncludingCrossThreadFrees");
        assertThat(stress.status()).as("the two-thread stress").isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(stress.failure()).hasStackTraceContaining("overlaps the live block");

        // What the broken allocator does right still passes: the failures above are the overlap's.
        for (String passes : List.of("blocksAreNonZeroAndAlignedTo16Bytes", "statisticsCountEveryCallExactly",
                "freshAllocatorHasHandedOutNothing")) {
            assertThat(outcomes.get(passes).status()).as(passes + ": " + outcomes.get(passes))
                    .isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        }
        // It declares NO_REUSE and can walk: the reuse test is skipped, the refusal test too.
        assertThat(outcomes.get("freedMemoryIsHandedOutAgain").status()).isEqualTo(TestExecutionResult.Status.ABORTED);
        assertThat(outcomes.get("walkIsRefusedWhenUnsupported").status()).isEqualTo(TestExecutionResult.Status.ABORTED);
    }

    @Test
    void refcountKitRejectsAPlainStrategyThatClaimsToBeThreadSafe() {
        Map<String, Outcome> outcomes = runKit(PlainPosingAsAtomicRefCountKitRun.class);
        assertThat(outcomes.keySet()).as("kit tests run").containsExactlyInAnyOrderElementsOf(testsOf(RefCountContract.class));

        Outcome stress = outcomes.get("twoThreadsCountingOneObjectLoseNoUpdates");
        assertThat(stress.status()).as("the two-thread stress").isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(stress.failure()).hasMessageContaining("Updates were lost");

        // Single-threaded the strategy is correct, and every other kit test says so.
        outcomes.forEach((test, outcome) -> {
            if (!test.equals("twoThreadsCountingOneObjectLoseNoUpdates")) {
                assertThat(outcome.status()).as(test + ": " + outcome).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
            }
        });
    }

    @Test
    void kitRunsOfBrokenComponentsStayDisabledOutsideTheSelfTest() {
        for (Class<?> kitRun : List.of(OverlappingAllocatorKitRun.class, PlainPosingAsAtomicRefCountKitRun.class)) {
            EngineExecutionResults results = EngineTestKit.engine("junit-jupiter")
                    .selectors(DiscoverySelectors.selectClass(kitRun))
                    .execute();
            assertThat(results.testEvents().started().count()).as("tests of %s started", kitRun.getSimpleName()).isZero();
            assertThat(results.containerEvents().skipped().count()).as("containers of %s skipped", kitRun.getSimpleName()).isEqualTo(1);
        }
    }
}
