package org.pxlab.refcount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.memory.SystemMalloc;
import org.pxlab.runtime.object.Heap;

/**
 * What {@code elided} promises instead of counting: in a header shared with a counting main
 * space (PyParallel's parallel objects carry the same {@code PyObject} header), its operations
 * change no byte, never report a last reference, and it refuses to make a parallel object
 * immortal.
 */
class ElidedRefCountTest {
    private final ThreadContext thread = new ThreadContext(1, "parallel", Placement.PARALLEL_CONTEXT);
    private long block;

    @AfterEach
    void free() {
        if (block != 0) SystemMalloc.free(block);
    }

    @Test
    void operationsOnAnObjectUnderASharedHeaderChangeNoByte() {
        PlainRefCount main = new PlainRefCount();
        ElidedRefCount elided = new ElidedRefCount();
        StructLayout header = Heap.composeHeader(List.of(main, elided), List.of());
        main.bind(header);
        elided.bind(header);
        block = SystemMalloc.malloc(header.size());
        for (int i = 0; i < header.size(); i++) Memory.putByte(block + i, (byte) (0x30 + i));
        byte[] before = Memory.toArray(block, header.size());

        elided.initialize(block, thread);
        for (int i = 0; i < 1_000; i++) elided.incref(block, thread);
        for (int i = 0; i < 2_000; i++) {
            assertThat(elided.decref(block, thread)).as("decref %d reports a last reference", i + 1).isFalse();
        }

        assertThat(Memory.toArray(block, header.size())).as("header bytes after 1000 increfs and 2000 decrefs").isEqualTo(before);
        assertThat(elided.referenceCount(block)).as("an uncounted object is reported alive").isEqualTo(1);
    }

    @Test
    void declaresTheThreadTestAndNoField() {
        ElidedRefCount elided = new ElidedRefCount();
        assertThat(elided.headerFields()).isEmpty();
        assertThat(elided.elidesForItsThreads()).as("the runtime must test the thread before dispatching").isTrue();
        assertThat(elided.isThreadSafe()).isTrue();
        assertThat(new PlainRefCount().elidesForItsThreads()).as("plain counts on every thread").isFalse();
    }

    @Test
    void refusesToMakeAParallelObjectImmortal() {
        ElidedRefCount elided = new ElidedRefCount();
        assertThatThrownBy(() -> elided.makeImmortal(0x1000))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("cannot be made immortal");
        assertThat(elided.isImmortal(0x1000)).isFalse();
    }
}
