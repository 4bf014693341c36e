package org.pxlab.runtime.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A space as a configuration declares it: an allocator, a refcount strategy and a collector,
 * named as users name them, with their options, and whether threads share its objects.
 *
 * @param name       the space's name within the configuration ({@code main}, {@code context})
 * @param allocator  an allocator name
 * @param refcount   a refcount strategy name
 * @param collector  a collector name
 * @param shared     whether objects of this space may be reached by several runtime threads
 *                   (false for a parallel context's private arena)
 * @param options    component options, keyed {@code component-name -> option -> value}
 */
public record SpaceDeclaration(String name, String allocator, String refcount, String collector,
                               boolean shared, Map<String, Map<String, String>> options) {
    public SpaceDeclaration {
        Objects.requireNonNull(name, "name");
        options = Map.copyOf(options);
    }

    /** Starts a space declaration. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** Options given to the named component, or none. */
    public Map<String, String> optionsOf(String component) {
        return options.getOrDefault(component, Map.of());
    }

    /** Fluent builder, so a configuration reads as a short declaration. */
    public static final class Builder {
        private final String name;
        private String allocator;
        private String refcount;
        private String collector;
        private boolean shared = true;
        private final Map<String, Map<String, String>> options = new LinkedHashMap<>();

        private Builder(String name) {
            this.name = name;
        }

        public Builder allocator(String component) { this.allocator = component; return this; }
        public Builder refcount(String component) { this.refcount = component; return this; }
        public Builder collector(String component) { this.collector = component; return this; }
        /** Objects of this space are private to one thread (or one parallel context) at a time. */
        public Builder threadPrivate() { this.shared = false; return this; }
        /** An option for one of the space's components. */
        public Builder option(String component, String option, String value) {
            options.computeIfAbsent(component, k -> new LinkedHashMap<>()).put(option, value);
            return this;
        }

        public SpaceDeclaration build() {
            Map<String, Map<String, String>> copy = new LinkedHashMap<>();
            options.forEach((k, v) -> copy.put(k, Map.copyOf(v)));
            return new SpaceDeclaration(name, allocator, refcount, collector, shared, copy);
        }
    }
}
