package org.pxlab.experiments.suite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.pxlab.experiments.bench.WorkloadBench;
import org.pxlab.experiments.projection.Projection;
import org.pxlab.experiments.workload.ServedWorkload;
import org.pxlab.experiments.workload.Workloads;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.runtime.config.ConfigurationException;
import org.pxlab.runtime.config.SpaceDeclaration;
import org.pxlab.runtime.config.UnsafeConfigurationException;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.serve.OpenLoopPlan;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * Reads a suite file ({@link SafeYaml}), checks every field and flattens it into
 * {@link Measurement}s. Nothing runs before the whole suite is accepted: names are looked up
 * in the registries, composed configurations are assembled and started once (so unsafe or
 * unworkable ones are refused), and
 * each workload given parameters is set up once on {@code gil}, so a bad parameter is refused
 * here with its path ({@code workloads[2].params.size}) rather than hours into a run.
 *
 * <p>The format (README, "Running experiments"): {@code suite}, {@code description},
 * {@code configurations}, {@code workloads}, {@code threads}, {@code exclude}, and one section
 * per kind: {@code throughput}, {@code latency} (a list), {@code footprint}, {@code stress}.
 */
public final class SuiteParser {
    /** The fraction of throughput a relative latency rate may ask for, at most. */
    static final double MAX_FRACTION = 4;
    /** The configuration workload parameters are checked on, when registered. */
    static final String CHECK_CONFIGURATION = "gil";
    private static final Set<String> TOP = keys("suite", "description", "configurations", "workloads", "threads", "exclude",
            "throughput", "latency", "footprint", "stress", "projection");
    private static final Set<String> COMPOSED = keys("name", "base", "description", "sync", "sync-options", "version",
            "spaces", "placements");
    private static final Set<String> SPACE = keys("allocator", "refcount", "collector", "thread-private", "options");
    private static final Set<String> WORKLOAD = keys("name", "params");
    private static final Set<String> THROUGHPUT = keys("forks", "warmup-iterations", "warmup-time", "iterations", "time", "batch");

    private static final Set<String> LATENCY = keys("configurations", "workloads", "threads", "rate", "duration", "warmup");
    private static final Set<String> FOOTPRINT = keys("configurations", "workloads", "threads", "requests");
    private static final Set<String> STRESS = keys("mode", "configurations", "tests");
    private static final Set<String> PROJECTION = keys("configurations", "workloads", "cores", "requests", "measure");
    /** Requests a projection counts per core count when the suite does not say (see docs/projection.md). */
    static final int PROJECTION_REQUESTS = 500;
    private static final Set<String> EXCLUDE = keys("configuration", "workload");
    /** jcstress's modes, shortest first. */
    public static final List<String> STRESS_MODES = List.of("sanity", "quick", "default");

    private final ComponentRegistry registry;
    private final Workloads workloads;

    /** A configuration of the suite: its name, its declaration and, when composed, its composition. */
    private record Config(String name, ConfigurationDeclaration declaration, Composition composition) {}

    /** A workload entry of the suite. */
    private record Load(int index, String name, Map<String, String> params) {}

    public SuiteParser(ComponentRegistry registry, Workloads workloads) {
        this.registry = registry;
        this.workloads = workloads;
    }

    /**
     * Parses and checks a suite.
     *
     * @param text   the file's text
     * @param source the file's path or the built-in suite's name
     * @throws ConfigurationException naming the field path, the value and what is allowed
     */
    public Suite parse(String text, String source) {
        SuiteField root = new SuiteField("", SafeYaml.read(text, source));
        Map<String, SuiteField> top = root.fields(TOP);
        String name = required(top, "suite", root).name();
        if (top.containsKey("description")) top.get("description").text();
        List<Config> configs = configurations(required(top, "configurations", root));
        List<Load> loads = workloads(required(top, "workloads", root));
        List<Integer> threads = threads(required(top, "threads", root));
        Set<String> excluded = top.containsKey("exclude") ? exclusions(top.get("exclude"), configs, loads) : Set.of();
        checkParams(loads, configs);

        Map<String, Measurement> out = new LinkedHashMap<>();
        boolean throughput = top.containsKey("throughput");
        if (throughput) {
            Map<String, String> settings = throughputSettings(top.get("throughput"));
            for (Config c : configs) for (Load w : loads) for (int t : threads) {
                add(out, Kind.THROUGHPUT, c, w, t, settings, excluded, top.get("throughput"));
            }
        }
        if (top.containsKey("latency")) {
            for (SuiteField entry : top.get("latency").items()) {
                Map<String, SuiteField> f = entry.fields(LATENCY);
                addSelected(out, Kind.LATENCY, f, configs, loads, threads, latencySettings(f, entry, throughput), excluded, entry);
            }
        }
        if (top.containsKey("footprint")) {
            SuiteField section = top.get("footprint");
            Map<String, SuiteField> f = section.fields(FOOTPRINT);
            Map<String, String> settings = Map.of("requests",
                    String.valueOf(f.containsKey("requests") ? f.get("requests").integer(0, 100_000_000) : 10_000));
            addSelected(out, Kind.FOOTPRINT, f, configs, loads, threads, settings, excluded, section);
        }
        if (top.containsKey("stress")) {
            SuiteField section = top.get("stress");
            Map<String, SuiteField> f = section.fields(STRESS);
            String mode = "sanity";
            if (f.containsKey("mode")) {
                mode = f.get("mode").text();
                if (!STRESS_MODES.contains(mode)) throw f.get("mode").refuse("one of " + STRESS_MODES);
            }
            // One jcstress run serves the section: each configuration's measurement reads its rows
            // of the one matrix, whose rows are all of them ("matrix").
            List<Config> stressed = pick(f.get("configurations"), configs, Config::name);
            Map<String, String> settings = new java.util.LinkedHashMap<>();
            settings.put("mode", mode);
            settings.put("matrix", String.join(",", stressed.stream().map(Config::name).toList()));
            if (f.containsKey("tests")) {
                String tests = f.get("tests").text();
                try {
                    java.util.regex.Pattern.compile(tests);
                } catch (java.util.regex.PatternSyntaxException e) {
                    throw f.get("tests").refuse("a Java regular expression selecting jcstress tests by class name ("
                            + e.getDescription() + ")");
                }
                settings.put("tests", tests);
            }
            for (Config c : stressed) add(out, Kind.STRESS, c, null, 0, settings, excluded, section);
        }
        // Last: a projection takes its measured figures from the throughput rows run before it.
        if (top.containsKey("projection")) {
            SuiteField section = top.get("projection");
            Map<String, SuiteField> f = section.fields(PROJECTION);
            Map<String, String> settings = projectionSettings(f);
            for (Config c : pick(f.get("configurations"), configs, Config::name)) {
                if (c.composition() != null) {
                    throw new ConfigurationException(section.path() + ".configurations", c.name(),
                            "built-in configurations only (a counting run assembles its configuration by name); list them here");
                }
                for (Load w : pick(f.get("workloads"), loads, Load::name)) add(out, Kind.PROJECTION, c, w, 0, settings, excluded, section);
            }
        }
        if (out.isEmpty()) {
            throw new ConfigurationException(source, "no measurements",
                    "at least one of the sections throughput, latency, footprint, stress, projection");
        }
        return new Suite(name, source, new ArrayList<>(out.values()));
    }

    /** One measurement per configuration, workload and thread count the section selects (all by default). */
    private void addSelected(Map<String, Measurement> out, Kind kind, Map<String, SuiteField> f, List<Config> configs,
                             List<Load> loads, List<Integer> threads, Map<String, String> settings, Set<String> excluded,
                             SuiteField where) {
        for (Config c : pick(f.get("configurations"), configs, Config::name)) {
            for (Load w : pick(f.get("workloads"), loads, Load::name)) {
                for (int t : pick(f.get("threads"), threads, String::valueOf)) add(out, kind, c, w, t, settings, excluded, where);
            }
        }
    }

    private void add(Map<String, Measurement> out, Kind kind, Config c, Load w, int threads, Map<String, String> settings,
                     Set<String> excluded, SuiteField where) {
        String workload = w == null ? "" : w.name();
        if (w != null && excluded.contains(c.name() + " " + workload)) return;
        Map<String, String> params = w == null ? Map.of() : w.params();
        Map<String, String> all = new LinkedHashMap<>(settings);
        if (c.composition() != null) all.put("composition", c.composition().spec());
        String id = Measurement.id(kind, c.name(), workload, params, threads);
        Measurement m = new Measurement(id, kind, c.name(), components(c.declaration()), workload, params, threads, all);
        if (out.putIfAbsent(id, m) != null) {
            throw new ConfigurationException(where.path(), id, "each measurement once (this one is already in the suite)");
        }
    }

    /** The components of a declaration: the first space's by kind, other spaces' prefixed with the space's name. */
    static Map<String, String> components(ConfigurationDeclaration d) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("sync", d.sync());
        for (int i = 0; i < d.spaces().size(); i++) {
            SpaceDeclaration s = d.spaces().get(i);
            String prefix = i == 0 ? "" : s.name() + ".";
            out.put(prefix + "allocator", s.allocator());
            out.put(prefix + "refcount", s.refcount());
            out.put(prefix + "collector", s.collector());
        }
        return out;
    }

    private List<Config> configurations(SuiteField list) {
        List<Config> out = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        for (SuiteField item : list.items()) {
            Config c = item.value() instanceof String ? builtIn(item) : composed(item);
            if (!names.add(c.name())) throw item.refuse("each configuration once (" + c.name() + " is already listed)");
            out.add(c);
        }
        return out;
    }

    private Config builtIn(SuiteField item) {
        try {
            return new Config(item.text(), registry.configuration(item.text()), null);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(item.path(), item.text(), e.allowed()
                    + ", or a mapping that composes one (name, base, sync, spaces ...)");
        }
    }

    private Config composed(SuiteField item) {
        Map<String, SuiteField> f = item.fields(COMPOSED);
        String name = required(f, "name", item).name();
        if (registry.configurations().stream().anyMatch(d -> d.name().equals(name))) {
            throw f.get("name").refuse("a name no built-in configuration has (list the built-in one by name instead)");
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("name", name);
        if (f.containsKey("base")) settings.put("base", builtIn(f.get("base")).name());
        if (f.containsKey("description")) settings.put("description", plain(f.get("description")));
        if (f.containsKey("sync")) settings.put("sync", plain(f.get("sync")));
        if (f.containsKey("version")) settings.put("version", plain(f.get("version")));
        if (f.containsKey("sync-options")) {
            textMapOf(f.get("sync-options")).forEach((k, v) -> settings.put("sync-option." + k, v));
        }
        if (f.containsKey("spaces")) {
            SuiteField spaces = f.get("spaces");
            for (Map.Entry<String, SuiteField> s : spaces.fields(keysOf(spaces)).entrySet()) {
                String space = checkedWord(s.getValue(), s.getKey());
                for (Map.Entry<String, SuiteField> c : s.getValue().fields(SPACE).entrySet()) {
                    if (c.getKey().equals("options")) {
                        SuiteField options = c.getValue();
                        for (Map.Entry<String, SuiteField> comp : options.fields(keysOf(options)).entrySet()) {
                            textMapOf(comp.getValue()).forEach((k, v) ->
                                    settings.put("space." + space + ".option." + comp.getKey() + "." + k, v));
                        }
                    } else if (c.getKey().equals("thread-private")) {
                        String v = c.getValue().text();
                        if (!v.equals("true") && !v.equals("false")) throw c.getValue().refuse("true or false");
                        settings.put("space." + space + ".thread-private", v);
                    } else {
                        settings.put("space." + space + "." + c.getKey(), plain(c.getValue()));
                    }
                }
            }
        }
        if (f.containsKey("placements")) {
            f.get("placements").textMap().forEach((k, v) -> settings.put("place." + k, v));
        }
        Composition composition = new Composition(settings);
        ConfigurationDeclaration d;
        try {
            d = composition.declare(registry, item.path());
            // Started once: some combinations are refused only when the runtime wires its components together.
            PxRuntime.start(registry.assemble(d)).close();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(item.path(), name, "a configuration the runtime can start: " + e.getMessage());
        } catch (UnsafeConfigurationException e) {
            throw new ConfigurationException(item.path(), name, "a combination that can be safe: " + e.getMessage());
        } catch (ConfigurationException e) {
            if (e.field() == null) throw new ConfigurationException(item.path(), name, e.getMessage());
            String field = e.field().startsWith(item.path()) ? e.field()
                    : item.path() + "." + e.field().replaceFirst("^configuration " + java.util.regex.Pattern.quote(name) + "\\.?", "");
            throw new ConfigurationException(field, e.value(), e.allowed());
        }
        return new Config(name, d, composition);
    }

    private List<Load> workloads(SuiteField list) {
        List<Load> out = new ArrayList<>();
        for (SuiteField item : list.items()) {
            SuiteField nameField = item;
            Map<String, String> params = Map.of();
            if (!(item.value() instanceof String)) {
                Map<String, SuiteField> f = item.fields(WORKLOAD);
                nameField = required(f, "name", item);
                if (f.containsKey("params")) params = textMapOf(f.get("params"));
            }
            String name = nameField.text();
            try {
                workloads.named(name);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(nameField.path(), name, e.allowed());
            }
            Load load = new Load(out.size(), name, params);
            for (Load other : out) {
                if (other.name().equals(name) && other.params().equals(params)) {
                    throw item.refuse("each workload with given parameters once (" + name + " is already listed so)");
                }
            }
            out.add(load);
        }
        return out;
    }

    private static List<Integer> threads(SuiteField list) {
        List<Integer> out = new ArrayList<>();
        for (SuiteField item : list.items()) {
            int t = item.integer(1, OpenLoopPlan.MAX_WORKERS);
            if (out.contains(t)) throw item.refuse("each thread count once");
            out.add(t);
        }
        return out;
    }

    private static Set<String> exclusions(SuiteField list, List<Config> configs, List<Load> loads) {
        Set<String> out = new LinkedHashSet<>();
        for (SuiteField item : list.items()) {
            Map<String, SuiteField> f = item.fields(EXCLUDE);
            String c = oneOf(required(f, "configuration", item), configs.stream().map(Config::name).toList());
            String w = oneOf(required(f, "workload", item), loads.stream().map(Load::name).distinct().toList());
            out.add(c + " " + w);
        }
        return out;
    }

    private static Map<String, String> throughputSettings(SuiteField section) {
        Map<String, SuiteField> f = section.fields(THROUGHPUT);
        Map<String, String> s = new LinkedHashMap<>();
        s.put("forks", String.valueOf(f.containsKey("forks") ? f.get("forks").integer(1, 20) : 2));
        s.put("warmup-iterations", String.valueOf(f.containsKey("warmup-iterations") ? f.get("warmup-iterations").integer(0, 100) : 3));
        s.put("warmup-time", f.containsKey("warmup-time") ? f.get("warmup-time").duration(10_000_000L, 600_000_000_000L) : "2s");
        s.put("iterations", String.valueOf(f.containsKey("iterations") ? f.get("iterations").integer(1, 100) : 5));
        s.put("time", f.containsKey("time") ? f.get("time").duration(10_000_000L, 600_000_000_000L) : "2s");
        // A batch is served whole, so an iteration lasts at least one batch: short iterations need small batches.
        s.put("batch", String.valueOf(f.containsKey("batch") ? f.get("batch").integer(64, 1 << 24) : WorkloadBench.BATCH));
        return s;
    }

    /** A projection's settings: {@code cores} (comma-separated, sorted), {@code requests} and {@code measure}. */
    private static Map<String, String> projectionSettings(Map<String, SuiteField> f) {
        List<Integer> cores = Projection.DEFAULT_CORES;
        if (f.containsKey("cores")) {
            cores = new ArrayList<>();
            for (SuiteField item : f.get("cores").items()) {
                int n = item.integer(1, Projection.MAX_CORES);
                if (cores.contains(n)) throw item.refuse("each core count once");
                cores.add(n);
            }
        }
        Map<String, String> s = projectionDefaults();
        s.put("cores", String.join(",", Projection.checkCores(cores, "projection.cores").stream().map(String::valueOf).toList()));
        if (f.containsKey("requests")) s.put("requests", String.valueOf(f.get("requests").integer(1, (int) Projection.MAX_REQUESTS)));
        if (f.containsKey("measure")) s.put("measure", f.get("measure").duration(10_000_000L, 600_000_000_000L));
        return s;
    }

    /** A projection's settings when its section gives none. */
    private static Map<String, String> projectionDefaults() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("cores", String.join(",", Projection.DEFAULT_CORES.stream().map(String::valueOf).toList()));
        s.put("requests", String.valueOf(PROJECTION_REQUESTS));
        s.put("measure", "1s");
        return s;
    }

    /**
     * The projections of a suite: its projection measurements or, when it has none, one per
     * built-in configuration x workload (and params) its throughput measurements measured, with
     * the default settings (composed configurations cannot be counted, so they are left out).
     */
    public static List<Measurement> projectionsOf(Suite suite) {
        List<Measurement> own = suite.measurements().stream().filter(m -> m.kind() == Kind.PROJECTION).toList();
        if (!own.isEmpty()) return own;
        Map<String, Measurement> out = new LinkedHashMap<>();
        for (Measurement m : suite.measurements()) {
            if (m.kind() != Kind.THROUGHPUT || !m.composition().isEmpty()) continue;
            String id = Measurement.id(Kind.PROJECTION, m.configuration(), m.workload(), m.params(), 0);
            out.putIfAbsent(id, new Measurement(id, Kind.PROJECTION, m.configuration(), m.components(), m.workload(), m.params(), 0,
                    projectionDefaults()));
        }
        return new ArrayList<>(out.values());
    }

    private static Map<String, String> latencySettings(Map<String, SuiteField> f, SuiteField entry, boolean throughput) {
        SuiteField rate = required(f, "rate", entry);
        String duration = f.containsKey("duration") ? f.get("duration").duration(1_000_000L, OpenLoopPlan.HOUR_NANOS) : "5s";
        String warmup = f.containsKey("warmup") ? f.get("warmup").duration(0, OpenLoopPlan.HOUR_NANOS) : "1s";
        String r = rate.text().strip();
        if (r.endsWith("x")) {
            double fraction = number(rate, r.substring(0, r.length() - 1), "a fraction of throughput above 0 and at most "
                    + MAX_FRACTION + ", e.g. 0.5x");
            if (!(fraction > 0 && fraction <= MAX_FRACTION)) {
                throw rate.refuse("a fraction of throughput above 0 and at most " + MAX_FRACTION + ", e.g. 0.5x");
            }
            if (!throughput) {
                throw rate.refuse("requests per second: a fraction of throughput (Nx) needs the suite's throughput section");
            }
        } else {
            double perSecond = number(rate, r, "requests per second (a number) or a fraction of throughput such as 0.5x");
            try {
                OpenLoopPlan.of(perSecond, Durations.nanos(duration), Durations.nanos(warmup), 1);
            } catch (ConfigurationException e) {
                throw new ConfigurationException(entry.path() + "." + e.field(), e.value(), e.allowed());
            }
        }
        return Map.of("rate", r, "duration", duration, "warmup", warmup);
    }

    private static double number(SuiteField field, String text, String allowed) {
        try {
            double v = Double.parseDouble(text);
            if (Double.isFinite(v)) return v;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw field.refuse(allowed);
    }

    /**
     * Sets each workload given parameters up once, so an unknown or out-of-range parameter is
     * refused with its path before anything runs; workloads at their defaults need no check.
     */
    private void checkParams(List<Load> loads, List<Config> configs) {
        ConfigurationDeclaration on = registry.configurations().stream().anyMatch(d -> d.name().equals(CHECK_CONFIGURATION))
                ? registry.configuration(CHECK_CONFIGURATION) : configs.getFirst().declaration();
        for (Load w : loads) {
            if (w.params().isEmpty()) continue;
            Workload workload = workloads.named(w.name());
            try (ServedWorkload ignored = ServedWorkload.start(registry.assemble(on), workload,
                    new ComponentParameters(w.name(), w.params()))) {
                // set up and accepted
            } catch (ConfigurationException e) {
                String at = "workloads[" + w.index() + "].params";
                String key = e.field() != null && e.field().startsWith(w.name() + ".") ? e.field().substring(w.name().length() + 1) : null;
                throw new ConfigurationException(key == null ? at : at + "." + key, e.value(), e.allowed());
            }
        }
    }

    /** The items a selection names, each one of {@code all}; all of them when the selection is absent. */
    private static <T> List<T> pick(SuiteField selection, List<T> all, Function<T, String> name) {
        if (selection == null) return all;
        List<String> known = all.stream().map(name).distinct().toList();
        Set<String> chosen = new LinkedHashSet<>();
        for (SuiteField item : selection.items()) chosen.add(oneOf(item, known));
        return all.stream().filter(t -> chosen.contains(name.apply(t))).toList();
    }

    private static String oneOf(SuiteField item, List<String> known) {
        String v = item.text();
        if (!known.contains(v)) throw item.refuse("one of the suite's " + known);
        return v;
    }

    private static SuiteField required(Map<String, SuiteField> fields, String key, SuiteField parent) {
        SuiteField f = fields.get(key);
        if (f == null) {
            throw new ConfigurationException(parent.path().isEmpty() ? key : parent.path() + "." + key, null, "a value (it is required)");
        }
        return f;
    }

    /** A value that travels inside a composition's text: no ';' and no '='. */
    private static String plain(SuiteField f) {
        String v = f.text();
        if (v.contains(";") || v.contains("=") || v.isBlank()) throw f.refuse("a non-empty value without ';' or '='");
        return v;
    }

    private static Map<String, String> textMapOf(SuiteField f) {
        Map<String, String> m = f.textMap();
        for (Map.Entry<String, String> e : m.entrySet()) {
            checkedWord(f, e.getKey());
            SuiteField value = new SuiteField(f.path() + "." + e.getKey(), e.getValue());
            plain(value);
        }
        return m;
    }

    private static String checkedWord(SuiteField f, String key) {
        if (key.isBlank() || key.contains(";") || key.contains("=") || key.contains(".")) {
            throw new ConfigurationException(f.path(), key, "a key without ';', '=' or '.'");
        }
        return key;
    }

    private static Set<String> keysOf(SuiteField f) {
        if (!(f.value() instanceof Map<?, ?> m)) throw f.refuse("a mapping");
        Set<String> out = new LinkedHashSet<>();
        for (Object k : m.keySet()) out.add((String) k);
        return out;
    }

    private static Set<String> keys(String... names) {
        return new java.util.LinkedHashSet<>(List.of(names));
    }
}
