package org.pxlab.runtime.discipline;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.RefCountStrategy;

/**
 * A refcount decorator that records, while switched on, how many increfs and decrefs each
 * object receives, then passes every call on unchanged. Installed with
 * {@code PxRuntime.start(configuration, RefTrafficRecorder::new)}; used to check the
 * mutator against the {@link ReferenceDiscipline} table and to count a request's traffic.
 *
 * <p>Recording allocates (a map entry per object) and is meant for tests and analysis runs,
 * not for timed ones. Not thread safe while recording: record one thread at a time.
 */
public final class RefTrafficRecorder implements RefCountStrategy {
    private final RefCountStrategy delegate;
    private final Map<Long, int[]> counts = new HashMap<>();
    private volatile boolean recording;

    public RefTrafficRecorder(RefCountStrategy delegate) {
        this.delegate = delegate;
    }

    /** Starts recording afresh. */
    public void start() {
        counts.clear();
        recording = true;
    }

    /** Stops recording; what was recorded stays readable. */
    public void stop() {
        recording = false;
    }

    /** Increfs recorded on the object. */
    public int increfs(long object) {
        int[] c = counts.get(object);
        return c == null ? 0 : c[0];
    }

    /** Decrefs recorded on the object. */
    public int decrefs(long object) {
        int[] c = counts.get(object);
        return c == null ? 0 : c[1];
    }

    /**
     * Removes counts a caller attributes elsewhere (e.g. the frame traffic of a call whose
     * prologue alone is being examined). Fails if fewer were recorded.
     */
    public void subtract(long object, int increfs, int decrefs) {
        int[] c = counts.get(object);
        if (c == null || c[0] < increfs || c[1] < decrefs) {
            throw new IllegalStateException("cannot subtract +" + increfs + " -" + decrefs + " from what was recorded");
        }
        c[0] -= increfs;
        c[1] -= decrefs;
        if (c[0] == 0 && c[1] == 0) counts.remove(object);
    }

    /** Every object that received traffic, with {increfs, decrefs}. */
    public Map<Long, int[]> all() {
        return Map.copyOf(counts);
    }

    @Override
    public List<HeaderField> headerFields() {
        return delegate.headerFields();
    }

    @Override
    public void bind(StructLayout header) {
        delegate.bind(header);
    }

    @Override
    public void initialize(long object, ThreadContext thread) {
        delegate.initialize(object, thread);
    }

    @Override
    public void incref(long object, ThreadContext thread) {
        if (recording) counts.computeIfAbsent(object, k -> new int[2])[0]++;
        delegate.incref(object, thread);
    }

    /** Passes the attempt on; a reference it adds is recorded as an incref. */
    @Override
    public boolean tryIncref(long object, ThreadContext thread) {
        boolean added = delegate.tryIncref(object, thread);
        if (added && recording) counts.computeIfAbsent(object, k -> new int[2])[0]++;
        return added;
    }

    @Override
    public boolean decref(long object, ThreadContext thread) {
        if (recording) counts.computeIfAbsent(object, k -> new int[2])[1]++;
        return delegate.decref(object, thread);
    }

    @Override
    public long referenceCount(long object) {
        return delegate.referenceCount(object);
    }

    @Override
    public void makeImmortal(long object) {
        delegate.makeImmortal(object);
    }

    @Override
    public boolean isImmortal(long object) {
        return delegate.isImmortal(object);
    }

    @Override
    public boolean isThreadSafe() {
        return delegate.isThreadSafe();
    }
}
