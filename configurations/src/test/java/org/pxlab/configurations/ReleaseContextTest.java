package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * Runtime thread ids are reused: the second worker of a later run gets the id the first had.
 * Every decrement a release cascade makes must name the thread that is releasing, or a
 * strategy keyed on the owner (biased counts) would credit the wrong one.
 */
class ReleaseContextTest {
    /** Passes every call on and remembers which thread contexts decremented. */
    static final class Witness implements RefCountStrategy {
        final RefCountStrategy delegate;
        final Set<ThreadContext> decrementers = ConcurrentHashMap.newKeySet();

        Witness(RefCountStrategy delegate) {
            this.delegate = delegate;
        }

        public List<HeaderField> headerFields() { return delegate.headerFields(); }
        public void bind(StructLayout header) { delegate.bind(header); }
        public void initialize(long o, ThreadContext t) { delegate.initialize(o, t); }
        public void incref(long o, ThreadContext t) { delegate.incref(o, t); }
        public boolean decref(long o, ThreadContext t) {
            decrementers.add(t);
            return delegate.decref(o, t);
        }
        public long referenceCount(long o) { return delegate.referenceCount(o); }
        public void makeImmortal(long o) { delegate.makeImmortal(o); }
        public boolean isImmortal(long o) { return delegate.isImmortal(o); }
        public boolean isThreadSafe() { return delegate.isThreadSafe(); }
    }

    @Test
    void aReleaseCascadeDecrementsAsTheReleasingThread() {
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("gil"), Witness::new)) {
            Witness witness = (Witness) rt.heap().refcounts();
            ThreadContext[] contexts = new ThreadContext[2];
            for (int run = 0; run < 2; run++) {
                int r = run;
                rt.runWorkers(1, Placement.WORKER, (m, w) -> {
                    contexts[r] = m.thread();
                    long list = m.heap().lists().newList(0, m.thread());
                    for (int i = 0; i < 3; i++) m.heap().lists().appendTake(list, m.heap().numbers().newFloat(i, m.thread()), m.thread());
                    witness.decrementers.clear();
                    m.heap().decref(list, m.thread()); // frees the list, whose release frees the floats
                    assertThat(witness.decrementers).as("run %d", r).containsExactly(m.thread());
                });
            }
            assertThat(contexts[1].id()).as("the id was reused").isEqualTo(contexts[0].id());
            assertThat(contexts[1]).isNotSameAs(contexts[0]);
        }
    }
}
