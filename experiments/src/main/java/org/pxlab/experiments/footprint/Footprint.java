package org.pxlab.experiments.footprint;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.context.ContextArenas;
import org.pxlab.runtime.context.RequestArenaUse;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.AllocatorStatistics;

/**
 * The simulated memory a runtime holds at one moment, per space, as its allocators account
 * it ({@link org.pxlab.runtime.spi.Allocator#statistics()}), with the header bytes every object
 * carries. Nothing is estimated: each figure is the allocator's own.
 *
 * <p>For a per-context space (split-brain's {@code context}) the allocator is a
 * {@link ContextArenas} router, and its statistics are the sums over every parallel context's
 * arena made so far; their peak is the sum of the arenas' peaks, an upper bound of the space's
 * peak, since contexts need not peak at once. Read it with no request in flight: per-thread
 * statistics are exact only once the threads that keep them are between requests.
 *
 * @param moment      what had happened when it was taken (e.g. {@code after set-up})
 * @param headerBytes the composed object header, in bytes, in every space (pre-headers aside)
 * @param spaces      each space's figures, in the configuration's order
 * @param requestArenas the arena high-water of the requests served so far, for a configuration
 *                    whose requests run in parallel contexts (split-brain), else null
 */
public record Footprint(String moment, int headerBytes, List<SpaceBytes> spaces, RequestArenaUse requestArenas) {

    /**
     * One space's figures, bytes of simulated memory.
     *
     * @param space          the space's name in its configuration
     * @param allocator      the allocator component's name
     * @param preHeaderBytes the collector's pre-header in front of each tracked container (0 if none)
     * @param contextArenas  the parallel contexts' arenas summed into {@code statistics}, or -1 when
     *                       the space has one allocator
     * @param statistics     the allocator's statistics: reserved, in use, peak in use, allocations, frees
     */
    public record SpaceBytes(String space, String allocator, int preHeaderBytes, int contextArenas,
                             AllocatorStatistics statistics) {}

    /** The row of the blobs kept outside every space ({@code actors}' refc binaries), when the runtime has them. */
    public static final String OFF_HEAP_BINARIES = "off-heap binaries";

    /** Takes every space's statistics now (and the off-heap binaries', when there are any). */
    public static Footprint of(String moment, PxRuntime runtime) {
        var declaration = runtime.configuration().declaration();
        List<SpaceBytes> spaces = new ArrayList<>();
        for (Space s : runtime.configuration().spaces()) {
            int arenas = s.allocator() instanceof ContextArenas router ? router.arenas().size() : -1;
            spaces.add(new SpaceBytes(s.name(), declaration.spaces().get(s.index()).allocator(), s.preHeaderSize(),
                    arenas, s.allocator().statistics()));
        }
        var binaries = runtime.heap().offHeapBinaries();
        if (binaries != null) {
            // Erlang's refc binaries: outside every space, shared by handles; a row of their own.
            spaces.add(new SpaceBytes(OFF_HEAP_BINARIES, binaries.toString(), 0, -1, binaries.statistics()));
        }
        RequestArenaUse requests = runtime.sync() instanceof RequestArenaUse.Source source ? source.requestArenaUse() : null;
        return new Footprint(moment, runtime.heap().header().size(), List.copyOf(spaces), requests);
    }

    /** All spaces together (peaks summed: an upper bound of the runtime's peak). */
    public AllocatorStatistics total() {
        AllocatorStatistics sum = AllocatorStatistics.NONE;
        for (SpaceBytes s : spaces) sum = sum.plus(s.statistics());
        return sum;
    }
}
