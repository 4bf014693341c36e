package org.pxlab.runtime.config;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * A runtime configuration as declared: its spaces, which space each placement allocates in,
 * the sync discipline, the modelled CPython version and runtime settings. Components are
 * named, not instantiated: the {@link ComponentRegistry} resolves the names, checks that the
 * combination can be safe, and assembles a {@link Configuration}.
 *
 * <p>Built-in configurations and users' suite files produce the same declaration, so both are
 * validated by the same code.
 *
 * @param name              the configuration's name
 * @param description       one line for {@code pxlab list}
 * @param version           the CPython version whose reference discipline the mutator follows
 * @param sync              a sync discipline name
 * @param syncOptions       options of the sync discipline
 * @param spaces            the spaces, in declaration order; the first is the default
 * @param placements        which space each placement allocates in
 * @param interpreterWorkNanos simulated interpreter work per operation, in nanoseconds (0: none)
 * @param unsafe            build even if the combination cannot be safe (stress controls)
 */
public record ConfigurationDeclaration(String name, String description, PythonVersion version,
                                       String sync, Map<String, String> syncOptions,
                                       List<SpaceDeclaration> spaces, Map<Placement, String> placements,
                                       long interpreterWorkNanos, boolean unsafe) {
    public ConfigurationDeclaration {
        Objects.requireNonNull(name, "name");
        spaces = List.copyOf(spaces);
        placements = Map.copyOf(placements);
        syncOptions = Map.copyOf(syncOptions);
    }

    /** Starts a declaration. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** A copy with other runtime settings (suites vary these per run). */
    public ConfigurationDeclaration withInterpreterWork(long nanos) {
        return new ConfigurationDeclaration(name, description, version, sync, syncOptions, spaces, placements, nanos, unsafe);
    }

    /** Fluent builder: a configuration is declared in a few lines, like an MMTk plan. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private PythonVersion version = PythonVersion.V3_12;
        private String sync;
        private final Map<String, String> syncOptions = new LinkedHashMap<>();
        private final List<SpaceDeclaration> spaces = new ArrayList<>();
        private final Map<Placement, String> placements = new EnumMap<>(Placement.class);
        private long interpreterWorkNanos;
        private boolean unsafe;

        private Builder(String name) {
            this.name = name;
        }

        public Builder describedAs(String text) { this.description = text; return this; }
        public Builder models(PythonVersion v) { this.version = v; return this; }
        public Builder sync(String discipline) { this.sync = discipline; return this; }
        public Builder syncOption(String option, String value) { syncOptions.put(option, value); return this; }
        public Builder interpreterWorkNanos(long nanos) { this.interpreterWorkNanos = nanos; return this; }
        public Builder unsafe(boolean value) { this.unsafe = value; return this; }

        /** Declares a space: {@code .space("main", s -> s.allocator("size-class-pool").refcount("plain"))}. */
        public Builder space(String spaceName, UnaryOperator<SpaceDeclaration.Builder> body) {
            spaces.add(body.apply(SpaceDeclaration.named(spaceName)).build());
            return this;
        }

        /** Allocations at these placements go to the named space. */
        public Builder place(Set<Placement> where, String spaceName) {
            for (Placement p : where) placements.put(p, spaceName);
            return this;
        }

        public ConfigurationDeclaration build() {
            return new ConfigurationDeclaration(name, description, version, sync, syncOptions, spaces, placements,
                    interpreterWorkNanos, unsafe);
        }
    }
}
