package org.pxlab.runtime.testkit;

import java.util.List;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.layout.HeaderField;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.CollectorSite;
import org.pxlab.runtime.spi.CollectorStatistics;

/**
 * A collector that tracks nothing and never collects: no pre-header, so objects are laid
 * out exactly as the refcount strategy and the runtime compose them. What a test needs to
 * assemble a {@link Heap} whose objects are freed by reference counting alone (cycles leak,
 * which such a test does not build).
 */
public final class NoOpCollector implements Collector {
    @Override public List<HeaderField> preHeaderFields() { return List.of(); }
    @Override public void bind(Heap heap, CollectorSite site) {}
    @Override public void track(long object, ThreadContext thread) {}
    @Override public void untrack(long object, ThreadContext thread) {}
    @Override public void poll(ThreadContext thread) {}
    @Override public long collect(int generation, ThreadContext thread) { return 0; }
    @Override public CollectorStatistics statistics() { return new CollectorStatistics(0, 0, 0, 0, 0); }
}
