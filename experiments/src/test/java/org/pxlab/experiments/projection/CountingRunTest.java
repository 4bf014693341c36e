package org.pxlab.experiments.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/** Counting runs on real configurations: deterministic, and their counts tell the designs apart. */
class CountingRunTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    @BeforeEach
    void observed() {
        assumeTrue(Memory.OBSERVED, "run by the projection-test execution, with -Dpxlab.projection=true");
    }

    static EventCounts count(String configuration, String workload, int cores, long requests) {
        Workload w = Workloads.load().named(workload);
        return new CountingRun(cores, requests / 2, requests).count(REGISTRY, configuration, w,
                new ComponentParameters(w.name(), Map.of()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gil", "split-brain", "fine-grained", "free-threaded-3.13"})
    void theSameRunCountsTheSame(String configuration) {
        EventCounts first = count(configuration, "json", 3, 200);
        EventCounts second = count(configuration, "json", 3, 200);
        System.out.println(configuration + " json x3\n" + first);
        assertThat(second).isEqualTo(first);
        assertThat(first.total(Event.REQUEST)).isEqualTo(200);
        assertThat(first.total(Event.LOAD)).isPositive();
    }

    @Test
    void anotherCoreCountCountsDifferently() {
        assertThat(count("fine-grained", "json", 2, 200)).isNotEqualTo(count("fine-grained", "json", 4, 200));
    }

    @Test
    void refusesAnUnobservedOrBadRun() {
        assertThatThrownBy(() -> new CountingRun(0, 0, 1)).isInstanceOf(ConfigurationException.class).hasMessageContaining("--cores");
        assertThatThrownBy(() -> new CountingRun(64, 0, 1)).isInstanceOf(ConfigurationException.class).hasMessageContaining("1 to 63");
        assertThatThrownBy(() -> new CountingRun(1, 0, 0)).isInstanceOf(ConfigurationException.class);
    }
}
