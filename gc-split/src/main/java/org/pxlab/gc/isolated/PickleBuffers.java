package org.pxlab.gc.isolated;

import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.memory.Memory;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.ReferenceVisitor;
import org.pxlab.runtime.object.TypeKind;

/**
 * {@code multiprocessing}'s messages are pickled: {@code pickle.dumps} writes the value into a
 * bytes object in the sender's heap, the bytes go through a pipe, {@code pickle.loads} builds
 * the objects in the receiver's ({@code multiprocessing/connection.py}: {@code send} is
 * {@code _send_bytes(_ForkingPickler.dumps(obj))}). Here {@link #dumps} makes that buffer, as
 * large as the bodies of the objects it holds plus 8 bytes per reference to an immortal
 * object, and writes every body into it; the receiver's objects are then built by the same
 * copy every isolated design makes, and the buffer is released. The pipe itself is not modelled.
 *
 * <p>The walk reuses a per-thread stack and visitor: a message allocates no Java object.
 */
final class PickleBuffers {
    private final Heap heap;
    private final Walk[] walks = new Walk[ThreadContext.MAX_THREADS];

    PickleBuffers(Heap heap) {
        this.heap = heap;
    }

    /** The pickled form of {@code value}: a new blob in the thread's current heap. New reference. */
    long dumps(long value, ThreadContext thread) {
        Walk w = walks[thread.id()];
        if (w == null) w = walks[thread.id()] = new Walk();
        long size = w.run(value, 0);
        long buffer = heap.blobs().newBlob(size, thread);
        w.run(value, heap.blobs().data(buffer));
        return buffer;
    }

    /** One depth-first walk of a message, measuring it ({@code to == 0}) or writing it at {@code to}. */
    private final class Walk implements ReferenceVisitor {
        private long[] stack = new long[64];
        private int top;

        long run(long value, long to) {
            long written = 0;
            top = 0;
            visit(value);
            while (top > 0) {
                long o = stack[--top];
                if (heap.spaceOf(o).refcount().isImmortal(o)) {
                    if (to != 0) Memory.putLong(to + written, o);
                    written += 8; // a reference to a shared object (pickle names it, it does not copy it)
                    continue;
                }
                TypeKind kind = heap.kindOf(o);
                long body = heap.blockSize(o) - heap.bodyOffset() - (kind.container() ? heap.spaceOf(o).preHeaderSize() : 0);
                if (to != 0) Memory.copy(o + heap.bodyOffset(), to + written, body);
                written += body;
                heap.traverse(o, this);
            }
            return written;
        }

        @Override
        public void visit(long referent) {
            if (top == stack.length) stack = java.util.Arrays.copyOf(stack, 2 * top);
            stack[top++] = referent;
        }
    }
}
