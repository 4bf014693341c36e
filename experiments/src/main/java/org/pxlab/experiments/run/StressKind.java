package org.pxlab.experiments.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.pxlab.experiments.report.CsvTable;
import org.pxlab.experiments.stress.SafetyMatrix;
import org.pxlab.experiments.stress.SafetyMatrixRun;
import org.pxlab.experiments.suite.Kind;
import org.pxlab.experiments.suite.Measurement;
import org.pxlab.runtime.config.ConfigurationDeclaration;

/**
 * Stress: the jcstress suite run once for a suite's stress section ({@link SafetyMatrixRun}, as
 * {@code pxlab stress}), writing the safety matrix as the results folder's {@code stress.csv} and
 * {@code stress.md}, with jcstress's own files under {@code jcstress/}. The section's measurements,
 * one per configuration, share that run: the first to run starts it with every configuration of
 * the section as a row (the {@code matrix} setting), and each records its configuration's rows,
 * counted by verdict ({@link SafetyMatrix#VERDICTS}), in results.csv. A run the suite rules make invalid (a test that did not
 * run, a forbidden outcome, a silent control) fails every measurement of the section with the
 * reasons, kept in {@code jcstress/invalid.txt}.
 *
 * <p>A run killed while jcstress ran leaves {@code jcstress/} without a matrix; the next attempt
 * (after {@code --resume}) moves it aside to {@code jcstress.incomplete-N/} rather than deleting
 * anything, and runs again.
 */
final class StressKind implements MeasurementKind {
    @Override
    public Kind kind() {
        return Kind.STRESS;
    }

    /** The whole suite in sanity mode took 90 s to 3 minutes on 2 cores; shared by the section. */
    @Override
    public double estimatedSeconds(Measurement m) {
        return 120.0 / m.setting("matrix").split(",").length;
    }

    @Override
    public Outcome run(Measurement m, MeasurementContext context) throws IOException, InterruptedException {
        Path folder = context.folder();
        List<String> builtIn = context.registry().configurations().stream().map(ConfigurationDeclaration::name).toList();
        if (!builtIn.contains(m.configuration())) {
            throw new IllegalArgumentException("configuration '" + m.configuration() + "' has no stress tests: jcstress tests"
                    + " name built-in configurations (" + String.join(", ", builtIn) + ")");
        }
        Path csv = folder.resolve("stress.csv");
        Path invalid = folder.resolve("jcstress").resolve("invalid.txt");
        if (!Files.exists(csv)) runSuite(m, folder, builtIn, invalid);
        if (Files.exists(invalid)) {
            throw new IllegalStateException("the stress run is invalid: " + Files.readString(invalid, StandardCharsets.UTF_8).strip());
        }
        return Outcome.of(rowsOf(csv, m.configuration()));
    }

    private static void runSuite(Measurement m, Path folder, List<String> builtIn, Path invalid)
            throws IOException, InterruptedException {
        Path work = folder.resolve("jcstress");
        if (Files.exists(work)) {
            int n = 1;
            while (Files.exists(folder.resolve("jcstress.incomplete-" + n))) n++;
            Files.move(work, folder.resolve("jcstress.incomplete-" + n));
        }
        List<String> rows = Arrays.stream(m.setting("matrix").split(",")).filter(builtIn::contains).toList();
        SafetyMatrixRun.Result r = SafetyMatrixRun.run(m.setting("mode"), Optional.ofNullable(m.settings().get("tests")), rows, folder,
                SafetyMatrixRun.locateJar(), org.pxlab.runtime.config.ComponentRegistry.load(), null);
        if (!r.passed()) {
            Files.createDirectories(work);
            Files.writeString(invalid, String.join("; ", r.invalidReasons()) + "\n", StandardCharsets.UTF_8);
        }
        if (r.csv() == null) {
            throw new IllegalStateException("the stress run wrote no matrix: " + String.join("; ", r.invalidReasons()));
        }
    }

    /** The configuration's rows of stress.csv, counted by verdict. */
    static List<ResultRow> rowsOf(Path csv, String configuration) throws IOException {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String verdict : SafetyMatrix.VERDICTS) counts.put(verdict, 0);
        for (CsvTable.Row r : CsvTable.read(csv, List.of("configuration", "verdict")).rows()) {
            if (r.text("configuration").equals(configuration)) {
                counts.merge(r.oneOf("verdict", SafetyMatrix.VERDICTS), 1, Integer::sum);
            }
        }
        List<ResultRow> rows = new ArrayList<>();
        counts.forEach((verdict, n) -> rows.add(ResultRow.of("stress_" + verdict.replace('-', '_'), n, "hazards")));
        return rows;
    }
}
