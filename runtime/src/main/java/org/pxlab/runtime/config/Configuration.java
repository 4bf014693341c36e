package org.pxlab.runtime.config;

import java.util.List;
import java.util.Map;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * An assembled configuration: its declaration, and fresh component instances that no
 * runtime has used yet. Produced by {@link ComponentRegistry#assemble}, consumed once by a
 * runtime (the instances bind to that runtime's header layout and hold its state).
 *
 * @param declaration what was declared
 * @param sync        the sync discipline instance
 * @param spaces      the spaces, index = position, with their component instances
 * @param placements  space index per placement
 */
public record Configuration(ConfigurationDeclaration declaration, SyncDiscipline sync, List<Space> spaces,
                            Map<Placement, Integer> placements) {
    public Configuration {
        spaces = List.copyOf(spaces);
        placements = Map.copyOf(placements);
    }

    public String name() {
        return declaration.name();
    }

    /** The space index allocations at this placement go to. */
    public int spaceFor(Placement placement) {
        Integer i = placements.get(placement);
        return i == null ? 0 : i;
    }
}
