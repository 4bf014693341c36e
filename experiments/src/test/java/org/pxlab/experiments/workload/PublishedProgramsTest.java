package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.ServeResult;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The workloads that are published programs (the projection's out-of-sample checks): the
 * variants {@link AllWorkloadsTest} does not serve (its tiny options take the defaults), on the
 * five shared-heap configurations, with one and two workers; and their answers' checks.
 */
class PublishedProgramsTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    @ParameterizedTest(name = "{0} {1}={2} on {3} with {4} worker(s)")
    @CsvSource({
            "lock-locked,lock,private,gil,1", "lock-locked,lock,private,gil,2",
            "lock-locked,lock,private,split-brain,1", "lock-locked,lock,private,split-brain,2",
            "lock-locked,lock,private,fine-grained,1", "lock-locked,lock,private,fine-grained,2",
            "lock-locked,lock,private,free-threaded-3.13,1", "lock-locked,lock,private,free-threaded-3.13,2",
            "lock-locked,lock,private,free-threaded,1", "lock-locked,lock,private,free-threaded,2",
            "shared-method,runner,function,gil,2", "shared-method,runner,function,split-brain,2",
            "shared-method,runner,function,fine-grained,2", "shared-method,runner,function,free-threaded-3.13,2",
            "shared-method,runner,function,free-threaded,2",
            "fib,n,15,free-threaded,2", "fib,n,15,split-brain,2"})
    void servesVerifiedRequests(String workload, String option, String value, String configuration, int workers) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, Workloads.load().named(workload), new ComponentParameters(workload, Map.of(option, value)));
            ServeResult r = Server.serve(rt, service, workers, 0, 200);
            assertThat(r.requests()).isEqualTo(200);
        }
    }

    @Test
    void fibIsTheProgramsFib() {
        // fib(0) = fib(1) = 1 ("if n < 2: return 1"); fib(34), the README's, is 9,227,465
        assertThat(FibWorkload.answer(0)).isEqualTo(1);
        assertThat(FibWorkload.answer(1)).isEqualTo(1);
        assertThat(FibWorkload.answer(5)).isEqualTo(8);
        assertThat(FibWorkload.answer(34)).isEqualTo(9_227_465);
    }

    @Test
    void aPrivateLockIsItsThreadsOwn() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, Workloads.load().named("lock-locked"),
                    new ComponentParameters("lock-locked", Map.of("lock", "private")));
            long[] locks = rt.onMain(m -> new long[] {service.request(m, 0), service.request(m, 1)});
            assertThat(locks[0]).as("the same thread gets the same lock").isEqualTo(locks[1]);
            rt.onMain(m -> {
                m.heap().decref(locks[0], m.thread());
                m.heap().decref(locks[1], m.thread());
                return null;
            });
        }
    }

    @Test
    void aWrongAnswerIsRefused() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service lock = Server.setUp(rt, Workloads.load().named("lock-locked"), ComponentParameters.none("lock-locked"));
            Service method = Server.setUp(rt, Workloads.load().named("shared-method"), ComponentParameters.none("shared-method"));
            // lock.locked()'s False checked as runner(i)'s i, and runner(i)'s i as locked()'s False
            assertThatThrownBy(() -> Server.serve(rt, Service.of(lock.handler(), lock::request, method::verify), 1, 0, 1))
                    .hasMessageContaining("shared-method").hasMessageContaining("request 0");
            assertThatThrownBy(() -> Server.serve(rt, Service.of(method.handler(), method::request, lock::verify), 1, 0, 1))
                    .hasMessageContaining("lock-locked");
        }
    }

    @Test
    void unknownOptionValuesAreRefused() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            assertThatThrownBy(() -> Server.setUp(rt, Workloads.load().named("lock-locked"),
                    new ComponentParameters("lock-locked", Map.of("lock", "global")))).hasMessageContaining("global");
            assertThatThrownBy(() -> Server.setUp(rt, Workloads.load().named("fib"),
                    new ComponentParameters("fib", Map.of("n", "40")))).hasMessageContaining("40");
        }
    }
}
