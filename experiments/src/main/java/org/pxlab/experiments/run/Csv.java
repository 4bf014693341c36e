package org.pxlab.experiments.run;

import java.util.ArrayList;
import java.util.List;

/**
 * Writes RFC 4180 rows: comma-separated, a field quoted when it holds a comma, a quote or a line
 * break. They are read back with {@link org.pxlab.experiments.report.CsvTable}.
 */
public final class Csv {
    private Csv() {}

    /** One row, ending in a line break. */
    static String row(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) b.append(',');
            b.append(field(fields.get(i)));
        }
        return b.append('\n').toString();
    }

    /** One field: quoted (with {@code ""} for a quote) when it holds a comma, a quote or a line break; null is empty. */
    public static String field(String f) {
        if (f == null) return "";
        if (f.indexOf(',') < 0 && f.indexOf('"') < 0 && f.indexOf('\n') < 0 && f.indexOf('\r') < 0) return f;
        return '"' + f.replace("\"", "\"\"") + '"';
    }

    /** The first field of a row {@link #row} wrote (the measurement id, which is never quoted). */
    static String firstField(String line) {
        int comma = line.indexOf(',');
        return comma < 0 ? line : line.substring(0, comma);
    }
}
