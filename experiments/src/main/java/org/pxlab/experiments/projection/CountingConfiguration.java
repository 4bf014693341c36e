package org.pxlab.experiments.projection;

import java.util.ArrayList;
import java.util.List;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.config.SpaceDeclaration;
import org.pxlab.runtime.context.ContextArenas;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.Allocator;

/**
 * Wraps every component of an assembled configuration in its counting decorator, before a
 * runtime binds them: the components themselves are the ones the registry made, unchanged. A
 * per-context space gets a fresh router whose arenas are the original router's, each wrapped.
 */
final class CountingConfiguration {
    private CountingConfiguration() {}

    static Configuration decorate(Configuration c, Tally tally) {
        List<Space> spaces = new ArrayList<>();
        for (Space s : c.spaces()) {
            SpaceDeclaration declared = c.declaration().spaces().get(s.index());
            String label = s.name() + ":" + declared.allocator();
            spaces.add(new Space(s.name(), s.index(), allocator(s.allocator(), tally, label),
                    new CountingRefCount(s.refcount(), tally), new CountingCollector(s.collector(), tally),
                    s.shared(), s.preHeader()));
        }
        return new Configuration(c.declaration(), new CountingSync(c.sync(), tally), spaces, c.placements());
    }

    private static Allocator allocator(Allocator a, Tally tally, String label) {
        if (a instanceof ContextArenas router) {
            return new ContextArenas(label, () -> new CountingContextArena(router.newArena(), tally, label));
        }
        return new CountingAllocator(a, tally, label);
    }
}
