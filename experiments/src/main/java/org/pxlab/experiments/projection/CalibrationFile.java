package org.pxlab.experiments.projection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Where a projection's prices come from: a calibration file, read when it exists, else made on
 * this machine ({@link Calibrator}, the access price fitted on {@value #REFERENCE_CONFIGURATION} x
 * {@value #REFERENCE_WORKLOAD} at one core) and saved there, never over an existing file.
 * {@code pxlab project} and the suites' projection kind both get their prices here.
 */
public final class CalibrationFile {
    /** The file's default name, in the working directory. */
    public static final String DEFAULT = "projection-calibration.properties";
    /** The configuration and workload the access price is fitted on when a calibration is made. */
    public static final String REFERENCE_CONFIGURATION = "gil", REFERENCE_WORKLOAD = "json";
    /** How long each of the calibrator's timed loops runs. */
    private static final long CALIBRATION_LOOP_NANOS = 300_000_000L;

    private CalibrationFile() {}

    /**
     * The calibration in {@code file}, made and saved first when there is none.
     *
     * @param projection what counts and measures the reference when a calibration is made
     * @param out        where "calibrating..." and "saved FILE" are said
     * @throws ConfigurationException naming {@code --calibration} when the file cannot be read or written
     */
    public static Calibration loadOrMake(Path file, ComponentRegistry registry, Projection projection, PrintWriter out) {
        if (Files.exists(file)) return Calibration.load(file);
        out.printf("calibrating on this machine (no %s yet)...%n", file);
        out.flush();
        Calibration measured = new Calibrator(CALIBRATION_LOOP_NANOS).measure();
        EventCounts oneCore = projection.count(REFERENCE_CONFIGURATION, REFERENCE_WORKLOAD, Map.of(), new TreeSet<>(List.of(1))).get(1);
        double rps = projection.measure(registry, REFERENCE_CONFIGURATION, REFERENCE_WORKLOAD, Map.of(), 1)[0];
        Calibration fitted = Calibrator.fitAccess(measured, oneCore, rps, REFERENCE_CONFIGURATION + " x " + REFERENCE_WORKLOAD + " at 1 core");
        try {
            fitted.saveNew(file);
        } catch (IOException e) {
            throw new ConfigurationException("--calibration", file.toString(), "a new file that can be written (" + e.getMessage() + ")");
        }
        out.printf("saved %s%n", file);
        out.flush();
        return fitted;
    }
}
