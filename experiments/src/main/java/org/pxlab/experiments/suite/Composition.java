package org.pxlab.experiments.suite;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.Configuration;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.config.Placement;
import org.pxlab.runtime.config.SpaceDeclaration;
import org.pxlab.runtime.discipline.PythonVersion;

/**
 * A configuration a suite composes from component names, optionally starting from a built-in
 * one, kept as flat {@code key=value} settings so that it travels as one text
 * ({@link #spec()}) to wherever it is assembled: a JMH fork reads it from a benchmark parameter.
 * {@link #declare} turns it into the same {@link ConfigurationDeclaration} a built-in
 * configuration is, so {@link ComponentRegistry#assemble(ConfigurationDeclaration)} checks
 * both alike (names, options, safety).
 *
 * <p>Keys: {@code name}, {@code base} (a built-in configuration), {@code sync},
 * {@code version}, {@code sync-option.OPTION}, {@code space.SPACE.allocator},
 * {@code space.SPACE.refcount}, {@code space.SPACE.collector},
 * {@code space.SPACE.thread-private}, {@code space.SPACE.option.COMPONENT.OPTION} and
 * {@code place.PLACEMENT} (a space name). Without a base, every space needs its three
 * components and, unless placed, every allocation goes to the first space.
 *
 * @param settings the keys above, in the order given (the first space declared is the default)
 */
public record Composition(Map<String, String> settings) {
    public Composition {
        settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The configuration's name. */
    public String name() {
        return settings.get("name");
    }

    /** The settings as one text, {@code key=value} pairs joined by {@code ;}. */
    public String spec() {
        StringBuilder b = new StringBuilder();
        settings.forEach((k, v) -> b.append(b.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * The configuration a measurement runs: the registry's {@code configuration} when
     * {@code spec} is empty, else the one {@code spec} composes.
     */
    public static Configuration assemble(ComponentRegistry registry, String configuration, String spec) {
        if (spec == null || spec.isEmpty()) return registry.assemble(configuration);
        return registry.assemble(parse(spec).declare(registry, "configuration " + configuration));
    }

    /** Reads {@link #spec()}'s text back. */
    public static Composition parse(String spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String pair : spec.split(";")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) throw new ConfigurationException("composition", pair, "key=value pairs separated by ';'");
            settings.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return new Composition(settings);
    }

    /**
     * The declaration these settings make.
     *
     * @param field where the composition was written, for error messages ({@code configurations[3]})
     * @throws ConfigurationException for an unknown key, base, version, placement or a space left incomplete
     */
    public ConfigurationDeclaration declare(ComponentRegistry registry, String field) {
        String base = settings.get("base");
        ConfigurationDeclaration from = base == null ? null : registry.configuration(base);
        Map<String, String> sync = new LinkedHashMap<>(from == null ? Map.of() : from.syncOptions());
        Map<String, SpaceDeclaration> spaces = new LinkedHashMap<>();
        if (from != null) from.spaces().forEach(s -> spaces.put(s.name(), s));
        Map<Placement, String> placements = new EnumMap<>(Placement.class);
        if (from != null) placements.putAll(from.placements());
        String syncName = from == null ? null : from.sync();
        PythonVersion version = from == null ? PythonVersion.V3_12 : from.version();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            String[] parts = key.split("\\.", 4);
            switch (parts[0]) {
                case "name", "base", "description" -> { }
                case "sync" -> syncName = value;
                case "version" -> version = version(value, field + ".version");
                case "sync-option" -> sync.put(key.substring("sync-option.".length()), value);
                case "place" -> placements.put(placement(parts[1], field + ".placements"), value);
                case "space" -> spaces.put(parts[1], space(spaces.get(parts[1]), parts, value));
                default -> throw new ConfigurationException(field, key, "a composition key (see Composition)");
            }
        }
        if (syncName == null) throw new ConfigurationException(field + ".sync", null, "a sync component (or a base configuration)");
        if (spaces.isEmpty()) throw new ConfigurationException(field + ".spaces", null, "at least one space (or a base configuration)");
        for (SpaceDeclaration s : spaces.values()) {
            String at = field + ".spaces." + s.name();
            if (s.allocator() == null) throw new ConfigurationException(at + ".allocator", null, "an allocator component");
            if (s.refcount() == null) throw new ConfigurationException(at + ".refcount", null, "a refcount component");
            if (s.collector() == null) throw new ConfigurationException(at + ".collector", null, "a collector component");
        }
        if (placements.isEmpty()) {
            String first = spaces.keySet().iterator().next();
            for (Placement p : Placement.ANY) placements.put(p, first);
        }
        String description = settings.getOrDefault("description",
                from == null ? "composed from components" : from.name() + " with " + overrides());
        return new ConfigurationDeclaration(name(), description, version, syncName, sync, new ArrayList<>(spaces.values()),
                placements, from == null ? 0 : from.interpreterWorkNanos(), false);
    }

    /** What a composition changes, for its description: {@code space.main.allocator=malloc, ...}. */
    private String overrides() {
        List<String> out = new ArrayList<>();
        settings.forEach((k, v) -> {
            if (!k.equals("name") && !k.equals("base")) out.add(k + "=" + v);
        });
        return String.join(", ", out);
    }

    private static SpaceDeclaration space(SpaceDeclaration old, String[] key, String value) {
        String name = key[1];
        String allocator = old == null ? null : old.allocator();
        String refcount = old == null ? null : old.refcount();
        String collector = old == null ? null : old.collector();
        boolean shared = old == null || old.shared();
        Map<String, Map<String, String>> options = new LinkedHashMap<>();
        if (old != null) old.options().forEach((c, o) -> options.put(c, new LinkedHashMap<>(o)));
        String what = key.length > 2 ? key[2] : "";
        switch (what) {
            case "allocator" -> allocator = value;
            case "refcount" -> refcount = value;
            case "collector" -> collector = value;
            case "thread-private" -> shared = !Boolean.parseBoolean(value);
            case "option" -> {
                String[] rest = key[3].split("\\.", 2);
                options.computeIfAbsent(rest[0], c -> new LinkedHashMap<>()).put(rest[1], value);
            }
            default -> throw new ConfigurationException("space." + name, what, "allocator, refcount, collector, thread-private or option");
        }
        return new SpaceDeclaration(name, allocator, refcount, collector, shared, options);
    }

    private static PythonVersion version(String label, String field) {
        for (PythonVersion v : PythonVersion.values()) if (v.label().equals(label)) return v;
        throw new ConfigurationException(field, label, "one of " + PythonVersion.implementedLabels());
    }

    private static Placement placement(String name, String field) {
        for (Placement p : Placement.values()) {
            if (p.name().toLowerCase(Locale.ROOT).replace('_', '-').equals(name)) return p;
        }
        List<String> known = new ArrayList<>();
        for (Placement p : Placement.values()) known.add(p.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        throw new ConfigurationException(field + "." + name, name, "one of " + known);
    }
}
