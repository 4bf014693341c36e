package org.pxlab.experiments.projection;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * Where a projection's prices come from: a calibration file, read when it exists, else made on
 * this machine ({@link CalibrationSet}: primitives measured, the lock and line-transfer prices
 * fitted on its stated runs) and saved there, never over an existing file.
 * {@code pxlab project} and the suites' projection kind both get their prices here.
 */
public final class CalibrationFile {
    /** The file's default name, in the working directory. */
    public static final String DEFAULT = "projection-calibration.properties";

    private CalibrationFile() {}

    /**
     * The calibration in {@code file}, made and saved first when there is none.
     *
     * @param projection what counts and measures the calibration runs when a calibration is made
     * @param out        where "calibrating..." and "saved FILE" are said
     * @throws ConfigurationException naming {@code --calibration} when the file cannot be read or written
     */
    public static Calibration loadOrMake(Path file, ComponentRegistry registry, Projection projection, PrintWriter out) {
        if (Files.exists(file)) return Calibration.load(file);
        out.printf("calibrating on this machine (no %s yet)...%n", file);
        out.flush();
        Calibration fitted = new CalibrationSet(projection, registry).calibrate(out);
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
