package org.pxlab.runtime.testkit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.SpaceDeclaration;

/** Copies of configuration declarations with one thing changed, so tests run the built-ins as declared otherwise. */
public final class Declarations {
    private Declarations() {}

    /**
     * A copy of {@code d}, same name, where every space that uses {@code component} (as its
     * allocator, refcount strategy or collector) is given {@code option = value} for it; a
     * test lowers the collector's threshold of a built-in configuration this way.
     *
     * @throws IllegalArgumentException if no space of {@code d} uses {@code component}
     */
    public static ConfigurationDeclaration withOption(ConfigurationDeclaration d, String component, String option,
                                                      String value) {
        List<SpaceDeclaration> spaces = new ArrayList<>();
        boolean used = false;
        for (SpaceDeclaration s : d.spaces()) {
            if (!component.equals(s.allocator()) && !component.equals(s.refcount()) && !component.equals(s.collector())) {
                spaces.add(s);
                continue;
            }
            used = true;
            Map<String, Map<String, String>> options = new LinkedHashMap<>(s.options());
            Map<String, String> mine = new LinkedHashMap<>(s.optionsOf(component));
            mine.put(option, value);
            options.put(component, mine);
            spaces.add(new SpaceDeclaration(s.name(), s.allocator(), s.refcount(), s.collector(), s.shared(), options));
        }
        if (!used) throw new IllegalArgumentException(d.name() + " has no space that uses " + component);
        return new ConfigurationDeclaration(d.name(), d.description(), d.version(), d.sync(), d.syncOptions(), spaces,
                d.placements(), d.interpreterWorkNanos(), d.unsafe());
    }
}
