package org.pxlab.experiments.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jmh.annotations.Param;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Workload;

/**
 * {@link WorkloadBench}'s logic, run in-process at tiny sizes so that it cannot rot: trial
 * set-up, one invocation, the GC counters around it, tear-down. Nothing here is timed.
 */
class WorkloadBenchTest {

    static String[] defaults(String param) throws NoSuchFieldException {
        return WorkloadBench.Run.class.getField(param).getAnnotation(Param.class).value();
    }

    /** Every default workload × workers pair of the benchmark, so a new default is tested too. */
    static Stream<Arguments> defaultParameters() throws NoSuchFieldException {
        List<Arguments> out = new ArrayList<>();
        for (String configuration : defaults("configuration")) {
            for (String workload : defaults("workload")) {
                for (String workers : defaults("workers")) out.add(Arguments.of(configuration, workload, Integer.parseInt(workers)));
            }
        }
        return out.stream();
    }

    static WorkloadBench.Run run(String configuration, String workload, int workers) {
        WorkloadBench.Run run = new WorkloadBench.Run();
        run.configuration = configuration;
        run.workload = workload;
        run.workers = workers;
        run.options = workload.equals("wiki-search") ? "titles=3000; limit=20" : "";
        return run;
    }

    @Test
    void theDefaultWorkloadsAreRegistered() throws NoSuchFieldException {
        List<String> names = Workloads.load().all().stream().map(Workload::name).toList();
        assertThat(names).containsAll(Arrays.asList(defaults("workload")));
    }

    @ParameterizedTest(name = "{1} on {0} with {2} worker(s)")
    @MethodSource("defaultParameters")
    void oneInvocationServesOneBatch(String configuration, String workload, int workers) {
        WorkloadBench bench = new WorkloadBench();
        WorkloadBench.Run run = run(configuration, workload, workers);
        WorkloadBench.JvmGc gc = new WorkloadBench.JvmGc();
        run.open(40);   // trial set-up: also serves (and verifies) one warm-up batch
        try {
            assertThat(run.next).isEqualTo(40);
            gc.start();
            ServeResult r = bench.serve(run, gc);
            gc.stop();
            assertThat(r.requests()).isEqualTo(40);
            assertThat(r.perWorker()).hasSize(workers).containsOnly(40L / workers);
            assertThat(run.next).as("the next invocation continues the stream").isEqualTo(80);
            assertThat(gc.jvmGcCount).isNotNegative();
            assertThat(gc.jvmGcMs).isNotNegative();

            r = bench.batchOverhead(run, gc);
            assertThat(r.requests()).isEqualTo(40);
        } finally {
            run.close();
        }
        assertThat(run.runtime).isNull();
        run.close(); // twice is harmless, as JMH may tear down after a failed set-up
    }

    @Test
    void theGcCountersCountCollectionsBetweenStartAndStop() {
        WorkloadBench.JvmGc gc = new WorkloadBench.JvmGc();
        gc.start();
        assertThat(gc.jvmGcCount).isZero();
        System.gc();
        gc.stop();
        assertThat(gc.jvmGcCount).as("System.gc() is one collection at least").isPositive();
        assertThat(gc.jvmGcMs).isNotNegative();
        gc.start();
        assertThat(gc.jvmGcCount).as("reset at each iteration").isZero();
    }

    @Test
    void optionsAreKeyValuePairsSeparatedBySemicolons() {
        assertThat(WorkloadBench.Run.options("")).isEmpty();
        assertThat(WorkloadBench.Run.options("titles=3000; limit = 20;")).containsExactly(
                Map.entry("titles", "3000"), Map.entry("limit", "20"));
        assertThatThrownBy(() -> WorkloadBench.Run.options("titles")).hasMessageContaining("'titles' is not key=value");
    }

    @Test
    void aFailedSetUpClosesTheRuntimeAndSaysWhy() {
        WorkloadBench.Run run = run("gil", "json", 1);
        run.options = "titles=3000";   // json takes no options
        assertThatThrownBy(() -> run.open(40)).hasMessageContaining("json.titles");
        assertThat(run.runtime).isNull();

        WorkloadBench.Run tooFew = run("gil", "json", 2);
        assertThatThrownBy(() -> tooFew.open(1)).hasMessageContaining("a batch of 1 leaves some of 2 workers idle");
    }
}
