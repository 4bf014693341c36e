package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;

/**
 * {@code onMain} returns only once the main thread has detached. A caller typically goes on to
 * run workers; had main still been attached for a moment, a QSBR poll would find it not
 * quiescent and a world stop would wait for it, by chance: the projection's "same run, same
 * counts" test failed about one run in two before the hand-off was moved after the detach.
 */
class MainThreadHandOffTest {
    @Test
    void theMainThreadIsDetachedWhenOnMainReturns() {
        try (PxRuntime rt = PxRuntime.start(ComponentRegistry.load().assemble("fine-grained"))) {
            ThreadContext main = rt.onMain(Mutator::thread);
            for (int i = 0; i < 2_000; i++) {
                rt.onMain(m -> 0L);
                assertThat(main.state()).as("main's state right after onMain returned, round %d", i)
                        .isEqualTo(ThreadContext.DETACHED);
            }
        }
    }
}
