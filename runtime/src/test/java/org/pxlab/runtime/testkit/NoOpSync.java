package org.pxlab.runtime.testkit;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.spi.SyncDiscipline;
import org.pxlab.runtime.spi.SyncSite;
import org.pxlab.runtime.spi.SyncStatistics;

/**
 * A sync discipline that does nothing. With {@code serializes = false} it is what "no lock
 * at all" looks like (a negative control); with {@code true} it claims a serialisation it
 * does not provide, for single-threaded tests that need a discipline to assemble.
 */
public final class NoOpSync implements SyncDiscipline {
    private final boolean serializes;

    public NoOpSync(boolean serializes) {
        this.serializes = serializes;
    }

    @Override public List<HeaderField> headerFields() { return List.of(); }
    @Override public void bind(StructLayout header, SyncSite site) {}
    @Override public void attach(ThreadContext thread) {}
    @Override public void detach(ThreadContext thread) {}
    @Override public void poll(ThreadContext thread) {}
    @Override public void lock(long object, ThreadContext thread) {}
    @Override public void unlock(long object, ThreadContext thread) {}
    @Override public void lockPair(long a, long b, ThreadContext thread) {}
    @Override public void unlockPair(long a, long b, ThreadContext thread) {}
    @Override public boolean serializesMutators() { return serializes; }
    @Override public SyncStatistics statistics() { return new SyncStatistics(0, 0, 0, 0); }
}
