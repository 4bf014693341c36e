package org.pxlab.gc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;

/** The {@code cycle} provider: registration, defaults, options and their errors. */
class CycleCollectorProviderTest {
    private final CycleCollectorProvider provider = new CycleCollectorProvider();

    @Test
    void isTheCycleCollector() {
        assertThat(provider.name()).isEqualTo("cycle");
        assertThat(provider.kind()).isEqualTo(ComponentKind.COLLECTOR);
        assertThat(provider.description()).isNotBlank();
    }

    @Test
    void isFoundByTheServiceLoader() {
        assertThat(ServiceLoader.load(ComponentProvider.class).stream().map(ServiceLoader.Provider::get)
                .filter(p -> p.kind() == ComponentKind.COLLECTOR && p.name().equals("cycle")))
                .hasSize(1).first().isInstanceOf(CycleCollectorProvider.class);
    }

    @Test
    void defaultsAreThoseOfCPython312() {
        Object c = provider.create(ComponentParameters.none("cycle"));
        assertThat(c).isInstanceOf(CycleCollector.class);
        CycleCollector gc = (CycleCollector) c;
        assertThat(new long[] {gc.threshold(0), gc.threshold(1), gc.threshold(2)}).containsExactly(700, 10, 10);
        assertThat(gc.preHeaderFields()).extracting(f -> f.name() + ":" + f.size()).containsExactly("gc_next:8", "gc_prev:8");
    }

    @Test
    void thresholdsAreParsed() {
        CycleCollector gc = (CycleCollector) provider.create(new ComponentParameters("cycle",
                Map.of("threshold0", "1000", "threshold1", " 20", "threshold2", "0")));
        assertThat(new long[] {gc.threshold(0), gc.threshold(1), gc.threshold(2)}).containsExactly(1000, 20, 0);
    }

    @Test
    void eachCreateIsAFreshInstance() {
        assertThat(provider.create(ComponentParameters.none("cycle")))
                .isNotSameAs(provider.create(ComponentParameters.none("cycle")));
    }

    @Test
    void negativeThresholdIsRefused() {
        assertThatThrownBy(() -> provider.create(new ComponentParameters("cycle", Map.of("threshold0", "-1"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cycle.threshold0").hasMessageContaining("-1");
    }

    @Test
    void nonNumericThresholdIsRefused() {
        assertThatThrownBy(() -> provider.create(new ComponentParameters("cycle", Map.of("threshold2", "ten"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cycle.threshold2");
    }

    @Test
    void tooLargeThresholdIsRefused() {
        assertThatThrownBy(() -> provider.create(new ComponentParameters("cycle", Map.of("threshold1", "99999999999"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cycle.threshold1");
    }

    @Test
    void unknownOptionIsRefused() {
        assertThatThrownBy(() -> provider.create(new ComponentParameters("cycle", Map.of("threshold3", "5"))))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("cycle.threshold3")
                .hasMessageContaining("threshold0");
    }

    @Test
    void negativeThresholdIsRefusedByTheConstructorToo() {
        assertThatThrownBy(() -> new CycleCollector(700, -1, 10)).isInstanceOf(IllegalArgumentException.class);
    }
}
