package org.pxlab.runtime.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.pxlab.runtime.discipline.PythonVersion;
import org.pxlab.runtime.layout.StructLayout;
import org.pxlab.runtime.object.Space;
import org.pxlab.runtime.spi.Allocator;
import org.pxlab.runtime.spi.ContextArena;
import org.pxlab.runtime.context.ContextArenas;
import org.pxlab.runtime.spi.Collector;
import org.pxlab.runtime.spi.ComponentKind;
import org.pxlab.runtime.spi.ComponentParameters;
import org.pxlab.runtime.spi.ComponentProvider;
import org.pxlab.runtime.spi.RefCountStrategy;
import org.pxlab.runtime.spi.SyncDiscipline;

/**
 * Finds components and configurations by name, through {@link ServiceLoader}, so that a jar
 * on the class path extends pxlab without editing it; checks declarations; and assembles
 * them into {@link Configuration}s with fresh component instances.
 *
 * <p>Every check runs before anything is allocated or started, and every refusal says what
 * was wrong, where, and what is allowed: an unknown name lists the known ones; an unsafe
 * combination states why (unless the declaration says {@code unsafe: true}).
 */
public final class ComponentRegistry {
    private final Map<ComponentKind, Map<String, ComponentProvider>> components = new EnumMap<>(ComponentKind.class);
    private final Map<String, ConfigurationDeclaration> configurations = new TreeMap<>();

    private ComponentRegistry() {
        for (ComponentKind k : ComponentKind.values()) components.put(k, new TreeMap<>());
    }

    /** Loads every provider visible to the context class loader (or this class's loader). */
    public static ComponentRegistry load() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) loader = ComponentRegistry.class.getClassLoader();
        ComponentRegistry r = new ComponentRegistry();
        for (ComponentProvider p : ServiceLoader.load(ComponentProvider.class, loader)) r.register(p);
        for (ConfigurationProvider p : ServiceLoader.load(ConfigurationProvider.class, loader)) r.register(p.declaration());
        return r;
    }

    /** Builds a registry from explicit providers (tests, embedding). */
    public static ComponentRegistry of(List<ComponentProvider> providers, List<ConfigurationDeclaration> declarations) {
        ComponentRegistry r = new ComponentRegistry();
        providers.forEach(r::register);
        declarations.forEach(r::register);
        return r;
    }

    private void register(ComponentProvider p) {
        ComponentProvider old = components.get(p.kind()).putIfAbsent(p.name(), p);
        if (old != null && old.getClass() != p.getClass()) {
            throw new IllegalStateException("two " + p.kind().label() + " components are named " + p.name() + ": "
                    + old.getClass().getName() + " and " + p.getClass().getName());
        }
    }

    private void register(ConfigurationDeclaration d) {
        ConfigurationDeclaration old = configurations.putIfAbsent(d.name(), d);
        if (old != null && !old.equals(d)) {
            throw new IllegalStateException("two configurations are named " + d.name());
        }
    }

    /** The providers of one kind, by name. */
    public List<ComponentProvider> components(ComponentKind kind) {
        return List.copyOf(components.get(kind).values());
    }

    /** The known configurations, by name. */
    public List<ConfigurationDeclaration> configurations() {
        return List.copyOf(configurations.values());
    }

    /**
     * The named configuration's declaration.
     *
     * @throws ConfigurationException naming the value and listing the known configurations
     */
    public ConfigurationDeclaration configuration(String name) {
        ConfigurationDeclaration d = configurations.get(name);
        if (d == null) throw new ConfigurationException("configuration", name, "one of " + configurations.keySet());
        return d;
    }

    /** Assembles the named configuration. */
    public Configuration assemble(String name) {
        return assemble(configuration(name));
    }

    /**
     * Checks a declaration and creates fresh instances of its components.
     *
     * @throws ConfigurationException for an unknown name, a bad option or an impossible setting
     * @throws UnsafeConfigurationException for a combination that cannot be safe, unless declared unsafe
     */
    public Configuration assemble(ConfigurationDeclaration d) {
        String where = "configuration " + d.name();
        if (d.name() == null || d.name().isBlank()) throw new ConfigurationException("configuration.name", d.name(), "a non-empty name");
        if (!d.version().implemented()) {
            throw new ConfigurationException(where + ".version", d.version().label(), "one of " + PythonVersion.implementedLabels());
        }
        if (d.interpreterWorkNanos() < 0 || d.interpreterWorkNanos() > 1_000_000) {
            throw new ConfigurationException(where + ".interpreter-work-ns", Long.toString(d.interpreterWorkNanos()),
                    "a whole number of nanoseconds from 0 to 1000000");
        }
        if (d.spaces().isEmpty()) throw new ConfigurationException(where + ".spaces", "(none)", "at least one space");
        SyncDiscipline sync = (SyncDiscipline) create(ComponentKind.SYNC, d.sync(), where + ".sync", d.syncOptions());
        List<Space> spaces = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        for (SpaceDeclaration s : d.spaces()) {
            String at = where + ".spaces." + s.name();
            if (index.putIfAbsent(s.name(), spaces.size()) != null) {
                throw new ConfigurationException(at, s.name(), "a space name not used twice in one configuration");
            }
            Allocator allocator = (Allocator) create(ComponentKind.ALLOCATOR, s.allocator(), at + ".allocator", s.optionsOf(s.allocator()));
            if (!s.shared() && allocator instanceof ContextArena first) {
                // One arena per parallel context: the space allocates through a router, and
                // each context gets a fresh instance of the same component with the same options.
                allocator = perContext(first, s, at);
            }
            RefCountStrategy refcount = (RefCountStrategy) create(ComponentKind.REFCOUNT, s.refcount(), at + ".refcount", s.optionsOf(s.refcount()));
            Collector collector = (Collector) create(ComponentKind.COLLECTOR, s.collector(), at + ".collector", s.optionsOf(s.collector()));
            for (String component : s.options().keySet()) {
                if (!component.equals(s.allocator()) && !component.equals(s.refcount()) && !component.equals(s.collector())) {
                    throw new ConfigurationException(at + ".options", component,
                            "options only for this space's components " + List.of(s.allocator(), s.refcount(), s.collector()));
                }
            }
            spaces.add(new Space(s.name(), spaces.size(), allocator, refcount, collector, s.shared(),
                    StructLayout.compose(collector.preHeaderFields())));
        }
        Map<Placement, Integer> placements = new EnumMap<>(Placement.class);
        for (Map.Entry<Placement, String> e : d.placements().entrySet()) {
            Integer i = index.get(e.getValue());
            if (i == null) {
                throw new ConfigurationException(where + ".placements." + e.getKey().name().toLowerCase(), e.getValue(),
                        "one of the declared spaces " + index.keySet());
            }
            placements.put(e.getKey(), i);
        }
        if (!d.unsafe()) checkSafety(d.name(), sync, d.sync(), spaces, d.spaces());
        return new Configuration(d, sync, spaces, placements);
    }

    private ContextArenas perContext(ContextArena first, SpaceDeclaration s, String at) {
        ContextArena[] unused = {first};
        return new ContextArenas(s.allocator(), () -> {
            ContextArena a = unused[0];
            if (a != null) {
                unused[0] = null;
                return a;
            }
            return (ContextArena) create(ComponentKind.ALLOCATOR, s.allocator(), at + ".allocator", s.optionsOf(s.allocator()));
        });
    }

    /**
     * The rule: unless the sync discipline lets one thread at a time allocate, free and count
     * in the shared spaces, every space whose objects threads share needs a thread-safe
     * allocator and refcount strategy.
     */
    private static void checkSafety(String name, SyncDiscipline sync, String syncName, List<Space> spaces,
                                    List<SpaceDeclaration> declared) {
        if (sync.serializesSharedSpaces()) return;
        for (int i = 0; i < spaces.size(); i++) {
            Space s = spaces.get(i);
            if (!s.shared()) continue;
            SpaceDeclaration sd = declared.get(i);
            if (!s.allocator().isThreadSafe()) {
                throw new UnsafeConfigurationException(name, "space " + s.name() + " uses allocator " + sd.allocator()
                        + ", which is not thread safe, and sync " + syncName + " lets several threads allocate and free in it");
            }
            if (!s.refcount().isThreadSafe()) {
                throw new UnsafeConfigurationException(name, "space " + s.name() + " uses refcount " + sd.refcount()
                        + ", which loses updates when two threads count one object, and sync " + syncName
                        + " lets several threads share its objects");
            }
        }
    }

    /**
     * A fresh instance of one named component, outside any configuration (benchmarks and
     * tests of a single component).
     *
     * @param field   the field the name came from, for error messages
     * @throws ConfigurationException naming the field, the value and the known components of the kind
     */
    public <T> T create(ComponentKind kind, String name, String field, Map<String, String> options, Class<T> type) {
        return type.cast(create(kind, name, field, options));
    }

    private Object create(ComponentKind kind, String name, String field, Map<String, String> options) {
        Map<String, ComponentProvider> known = components.get(kind);
        String allowed = known.isEmpty() ? "the name of a " + kind.label() + " component, but none is registered"
                : "the name of a " + kind.label() + " component, one of " + known.keySet();
        if (name == null) throw new ConfigurationException(field, null, allowed);
        ComponentProvider p = known.get(name);
        if (p == null) throw new ConfigurationException(field, name, allowed);
        Object instance = p.create(new ComponentParameters(name, options));
        if (!kind.type().isInstance(instance)) {
            throw new IllegalStateException(p.getClass().getName() + " created a " + instance.getClass().getName()
                    + ", not a " + kind.type().getSimpleName());
        }
        return instance;
    }

    /** Names of the known components of a kind (for error messages and listings). */
    public List<String> names(ComponentKind kind) {
        return Collections.unmodifiableList(new ArrayList<>(components.get(kind).keySet()));
    }
}
