package org.pxlab.configurations;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;

/**
 * {@code free-threaded-3.13}'s {@code immortal} modifier: the functions, code, classes and
 * modules a program defines are immortal from their creation (3.13t immortalizes its deferred
 * objects once a second thread starts), what they take is counted as never freed, and other
 * objects stay mortal. {@code fine-grained} has no such modifier.
 */
class FreeThreadedImmortalTest {

    /** Defines a module, a class, a function and a list; returns them and the bytes made immortal meanwhile. */
    private static long[] define(PxRuntime rt) {
        Heap h = rt.heap();
        long before = h.immortalizedBytes();
        long[] made = rt.onMain(m -> {
            long mod = m.define().module("app");
            long cls = m.define().klass(mod, "Point", 0, java.util.List.of("x"), true);
            long fn = m.define().function(mod, "f", 0, 0, new Object[] {null}, new String[0], b -> {
                b.loadConst(0);
                b.returnValue();
            });
            long list = h.lists().newList(0, m.thread());
            m.define().global(mod, "l", list);
            return new long[] {mod, cls, fn, list, 0};
        });
        made[4] = h.immortalizedBytes() - before;
        return made;
    }

    @Test
    void definitionsAreImmortalAndTheirBytesAreCountedAsNeverFreed() {
        long mortalRun;
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("fine-grained"))) {
            long[] made = define(rt);
            for (int i = 0; i < 4; i++) assertThat(rt.heap().refcounts().isImmortal(made[i])).as("fine-grained object %d", i).isFalse();
            mortalRun = made[4]; // interned names only
        }
        try (PxRuntime rt = PxRuntime.start(GilRuntime.REGISTRY.assemble("free-threaded-3.13"))) {
            Heap h = rt.heap();
            long[] made = define(rt);
            for (int i = 0; i < 3; i++) assertThat(h.refcounts().isImmortal(made[i])).as("definition %d immortal", i).isTrue();
            assertThat(h.refcounts().isImmortal(made[3])).as("a list stays mortal").isFalse();
            assertThat(made[4] - mortalRun).as("bytes made immortal beyond the interned names the same definitions make")
                    .isGreaterThanOrEqualTo(h.blockSize(made[0]) + h.blockSize(made[1]) + h.blockSize(made[2]));
        }
    }
}
