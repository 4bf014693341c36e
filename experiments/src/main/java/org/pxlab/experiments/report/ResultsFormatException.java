package org.pxlab.experiments.report;

import java.nio.file.Path;
import org.pxlab.runtime.config.ConfigurationException;

/**
 * A file of a results folder is malformed. The message names the file, the line (0 when the
 * file has no lines to speak of, as a binary log) and the field, the value found and what the
 * format allows; nothing has been written when it is thrown.
 */
public final class ResultsFormatException extends ConfigurationException {
    private static final long serialVersionUID = 1L;

    /**
     * @param file    the malformed file
     * @param line    its 1-based line, or 0 when unknown
     * @param field   the column, JSON path or part at fault
     * @param value   what was found (null when missing)
     * @param allowed what the results-folder format allows there
     */
    public ResultsFormatException(Path file, long line, String field, String value, String allowed) {
        super(file + (line > 0 ? " line " + line : "") + ", field " + field + ": "
                + (value == null ? "(missing)" : "'" + value + "'") + " is not allowed; expected " + allowed);
    }
}
