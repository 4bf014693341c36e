package org.pxlab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.stream.Stream;
import org.pxlab.experiments.report.CsvTable;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.experiments.suite.SafeYaml;
import org.pxlab.experiments.suite.Suite;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * A results folder as {@code pxlab run} writes it (README, "Running experiments"):
 * environment.json and suite.json first; then, as each measurement ends, its results.csv rows,
 * its footprint.csv rows and, last, its line in progress.jsonl, each appended and flushed.
 *
 * <p>A measurement is finished exactly when its progress line is complete. A run killed at
 * any moment leaves at most one unfinished measurement's rows or a torn last line behind;
 * {@link #resume} drops those (and nothing else), so resuming runs every unfinished
 * measurement once and repeats no finished one. Nothing finished is ever overwritten: a new
 * run refuses a folder that is not empty.
 */
public final class ResultsFolder implements MeasurementContext.Throughputs {
    static final String RESULTS_HEADER = "id,kind,configuration,workload,params,threads,metric,value,error,unit";
    static final String FOOTPRINT_HEADER = "id,configuration,workload,threads,space,metric,value,unit";
    /** projection.csv's header. */
    public static final String PROJECTION_HEADER =
            "id,configuration,workload,params,cores,predicted,scaling,limit,measured,measured_error,measured_source,error_percent";
    /** The projection measurements' table, written only by runs that project. */
    public static final String PROJECTION_CSV = "projection.csv";
    private static final Map<String, String> HEADERS = Map.of("results.csv", RESULTS_HEADER, "footprint.csv", FOOTPRINT_HEADER,
            PROJECTION_CSV, PROJECTION_HEADER);
    /** The largest suite.json read back (its own writer's output, so larger than a suite file may be). */
    private static final int MAX_SUITE_JSON = 256 << 20;

    private final Path dir;
    private final Suite suite;
    private final Map<String, String> status = new LinkedHashMap<>();
    private final Map<String, Double> throughput = new HashMap<>();

    private ResultsFolder(Path dir, Suite suite) {
        this.dir = dir;
        this.suite = suite;
    }

    /**
     * Makes a new results folder and writes environment.json, suite.json and the tables' headers.
     *
     * @throws ConfigurationException when {@code dir} exists and is not an empty folder
     */
    public static ResultsFolder create(Path dir, Suite suite) throws IOException {
        if (Files.exists(dir)) {
            boolean empty;
            try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.of(dir)) {
                empty = Files.isDirectory(dir) && s.findAny().isEmpty();
            }
            if (!empty) {
                throw new ConfigurationException("--out", dir.toString(),
                        "a new or empty folder (results are never overwritten; --resume DIR finishes a run)");
            }
        }
        Files.createDirectories(dir);
        ResultsFolder f = new ResultsFolder(dir, suite);
        Files.writeString(dir.resolve("environment.json"), Json.pretty(Environment.describe()), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("suite.json"), Json.pretty(suiteJson(suite)), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("results.csv"), RESULTS_HEADER + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("footprint.csv"), FOOTPRINT_HEADER + "\n", StandardCharsets.UTF_8);
        if (suite.measurements().stream().anyMatch(m -> m.kind() == Kind.PROJECTION)) {
            Files.writeString(dir.resolve(PROJECTION_CSV), PROJECTION_HEADER + "\n", StandardCharsets.UTF_8);
        }
        Files.writeString(dir.resolve("progress.jsonl"), "", StandardCharsets.UTF_8);
        return f;
    }

    /**
     * Opens a folder a run wrote, to finish it: reads suite.json and progress.jsonl, drops a
     * torn last progress line and every table row of a measurement without a progress line.
     *
     * @throws ConfigurationException when {@code dir} has no suite.json
     */
    public static ResultsFolder resume(Path dir) throws IOException {
        Path suiteJson = dir.resolve("suite.json");
        if (!Files.isRegularFile(suiteJson)) {
            throw new ConfigurationException("--resume", dir.toString(), "a results folder of pxlab run (it has no suite.json)");
        }
        ResultsFolder f = new ResultsFolder(dir, readSuite(suiteJson));
        Path progress = dir.resolve("progress.jsonl");
        List<String> lines = completeLines(progress);
        keep(progress, lines, null);
        f.status.putAll(statuses(lines));
        Set<String> finished = f.status.keySet();
        for (String table : List.of("results.csv", "footprint.csv", PROJECTION_CSV)) {
            keep(dir.resolve(table), completeLines(dir.resolve(table)), finished);
        }
        if (Files.isRegularFile(dir.resolve("results.csv"))) {
            for (CsvTable.Row r : CsvTable.read(dir.resolve("results.csv"), List.of("id", "kind", "metric")).rows()) {
                if (r.text("kind").equals(Kind.THROUGHPUT.label()) && r.text("metric").equals("throughput")
                        && "ok".equals(f.status.get(r.text("id")))) {
                    f.throughput.put(key(r.required("configuration"), r.required("workload"), r.text("params"),
                            (int) r.whole("threads", 1)), r.number("value", false));
                }
            }
        }
        return f;
    }

    /**
     * The ids whose last complete progress line says {@code ok}, read without changing the
     * folder (a torn last line is left out): whose rows of the tables are whole.
     */
    public static Set<String> succeeded(Path dir) throws IOException {
        Set<String> ok = new LinkedHashSet<>();
        statuses(completeLines(dir.resolve("progress.jsonl"))).forEach((id, s) -> {
            if (s.equals("ok")) ok.add(id);
        });
        return ok;
    }

    private static Map<String, String> statuses(List<String> progressLines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : progressLines) {
            if (line.isBlank()) continue;
            Map<?, ?> p = (Map<?, ?>) SafeYaml.read(line, "progress.jsonl");
            out.put((String) p.get("id"), (String) p.get("status"));
        }
        return out;
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The flattened suite this folder holds. */
    public Suite suite() {
        return suite;
    }

    /** The ids with a progress line (finished, ok or failed). */
    public Set<String> finished() {
        return new LinkedHashSet<>(status.keySet());
    }

    /** Finished measurements that failed. */
    public long failed() {
        return status.values().stream().filter(s -> !s.equals("ok")).count();
    }

    /**
     * Records a finished measurement: its rows, then its progress line.
     *
     * @param outcome what it measured, or null when it failed
     * @param cause   why it failed, or null
     */
    public void record(Measurement m, Outcome outcome, String cause, double seconds) throws IOException {
        if (outcome != null) {
            StringBuilder rows = new StringBuilder();
            for (ResultRow r : outcome.results()) {
                rows.append(Csv.row(List.of(m.id(), m.kind().label(), m.configuration(), m.workload(), m.paramsText(),
                        threads(m), r.metric(), number(r.value()), Double.isNaN(r.error()) ? "" : number(r.error()), r.unit())));
                if (m.kind() == Kind.THROUGHPUT && r.metric().equals("throughput")) {
                    throughput.put(key(m.configuration(), m.workload(), m.paramsText(), m.threads()), r.value());
                }
            }
            append(dir.resolve("results.csv"), rows.toString());
            StringBuilder fp = new StringBuilder();
            for (FootprintRow r : outcome.footprint()) {
                fp.append(Csv.row(List.of(m.id(), m.configuration(), m.workload(), threads(m), r.space(), r.metric(),
                        Long.toString(r.value()), "bytes")));
            }
            if (!fp.isEmpty()) append(dir.resolve("footprint.csv"), fp.toString());
            if (!outcome.projection().isEmpty()) {
                Path table = dir.resolve(PROJECTION_CSV);
                if (!Files.exists(table)) append(table, PROJECTION_HEADER + "\n");
                append(table, projectionRows(m, outcome.projection()));
            }
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("id", m.id());
        line.put("status", outcome != null ? "ok" : "failed");
        line.put("cause", cause);
        line.put("seconds", Math.round(seconds * 1000) / 1000.0);
        append(dir.resolve("progress.jsonl"), Json.of(line) + "\n");
        status.put(m.id(), outcome != null ? "ok" : "failed");
    }

    /** A projection measurement's projection.csv rows. */
    public static String projectionRows(Measurement m, List<ProjectionRow> rows) {
        StringBuilder b = new StringBuilder();
        for (ProjectionRow r : rows) {
            b.append(Csv.row(List.of(m.id(), m.configuration(), m.workload(), m.paramsText(), Integer.toString(r.cores()),
                    optional(r.predicted()), optional(r.scaling()), r.limit(), optional(r.measured()), optional(r.measuredError()),
                    r.measuredSource(), optional(r.errorPercent()))));
        }
        return b.toString();
    }

    @Override
    public OptionalDouble of(String configuration, String workload, Map<String, String> params, int threads) {
        Double v = throughput.get(key(configuration, workload, Measurement.paramsText(params), threads));
        return v == null ? OptionalDouble.empty() : OptionalDouble.of(v);
    }

    private static String key(String configuration, String workload, String params, int threads) {
        return configuration + "\u0000" + workload + "\u0000" + params + "\u0000" + threads;
    }

    private static String threads(Measurement m) {
        return m.kind() == Kind.STRESS ? "" : Integer.toString(m.threads());
    }

    private static String optional(double v) {
        return Double.isFinite(v) ? number(v) : "";
    }

    private static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
        return java.math.BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
    }

    /** Appends and closes at once: the bytes are with the OS when this returns, so a killed JVM loses none of them. */
    private static void append(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    /** The lines of a file that end in a line break (a torn last line is left out); none if it is missing. */
    private static List<String> completeLines(Path file) throws IOException {
        if (!Files.exists(file)) return new ArrayList<>();
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        if (end < 0) return new ArrayList<>();
        return new ArrayList<>(List.of(text.substring(0, end).split("\n", -1)));
    }

    /**
     * Rewrites a table with its header and the rows of finished measurements only (or, with
     * {@code finished} null, with {@code lines} as they are), when that changes it; through a
     * temporary file moved into place, so a kill during the rewrite leaves the old file whole.
     */
    private static void keep(Path file, List<String> lines, Set<String> finished) throws IOException {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (finished == null || i == 0 || finished.contains(Csv.firstField(lines.get(i)))) kept.add(lines.get(i));
        }
        StringBuilder b = new StringBuilder();
        for (String l : kept) b.append(l).append('\n');
        String old = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
        if (b.toString().equals(old) || (old == null && kept.isEmpty())) return;
        if (old == null && finished != null) b.insert(0, HEADERS.get(file.getFileName().toString()) + "\n");
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, b.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** suite.json's object. */
    static Map<String, Object> suiteJson(Suite suite) {
        List<Object> ms = new ArrayList<>();
        for (Measurement m : suite.measurements()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("id", m.id());
            o.put("kind", m.kind().label());
            o.put("configuration", m.configuration());
            o.put("components", m.components());
            o.put("workload", m.workload());
            o.put("params", m.params());
            o.put("threads", m.threads());
            o.put("settings", m.settings());
            ms.add(o);
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("suite", suite.name());
        s.put("source", suite.source());
        s.put("measurements", ms);
        return s;
    }

    /** The suite of a results folder's suite.json, read without changing the folder. */
    public static Suite suiteOf(Path dir) throws IOException {
        Path suiteJson = dir.resolve("suite.json");
        if (!Files.isRegularFile(suiteJson)) {
            throw new ConfigurationException("--results", dir.toString(), "a results folder of pxlab run (it has no suite.json)");
        }
        return readSuite(suiteJson);
    }

    @SuppressWarnings("unchecked")
    static Suite readSuite(Path file) throws IOException {
        Map<String, Object> s = (Map<String, Object>) SafeYaml.read(Files.readString(file, StandardCharsets.UTF_8), file.toString(),
                MAX_SUITE_JSON);
        List<Measurement> ms = new ArrayList<>();
        for (Object o : (List<Object>) s.get("measurements")) {
            Map<String, Object> m = (Map<String, Object>) o;
            ms.add(new Measurement((String) m.get("id"), Kind.of((String) m.get("kind")), (String) m.get("configuration"),
                    (Map<String, String>) m.get("components"), (String) m.get("workload"), (Map<String, String>) m.get("params"),
                    Integer.parseInt((String) m.get("threads")), (Map<String, String>) m.get("settings")));
        }
        return new Suite((String) s.get("suite"), (String) s.get("source"), ms);
    }
}
