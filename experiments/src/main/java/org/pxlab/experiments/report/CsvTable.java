package org.pxlab.experiments.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 4180 CSV file of a results folder read whole: a header row, then records whose fields
 * may be quoted (with {@code ""} for a quote, and line breaks inside quotes). Every record
 * remembers the line it starts on, so a bad value is reported where it is. The one reader of the
 * results folder's CSV files: reports, compare and {@code pxlab run}'s resume all read through it.
 */
public final class CsvTable {
    private final Path file;
    private final List<Row> rows;

    private CsvTable(Path file, List<Row> rows) {
        this.file = file;
        this.rows = rows;
    }

    /** Reads {@code file}, whose header must name every one of {@code columns} (others are ignored). */
    public static CsvTable read(Path file, List<String> columns) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        parse(file, Files.readString(file, StandardCharsets.UTF_8), records, lines);
        if (records.isEmpty()) throw new ResultsFormatException(file, 1, "header", null, String.join(",", columns));
        Map<String, Integer> index = new HashMap<>();
        List<String> header = records.getFirst();
        for (int i = 0; i < header.size(); i++) index.put(header.get(i).strip(), i);
        for (String column : columns) {
            if (!index.containsKey(column)) {
                throw new ResultsFormatException(file, 1, "header", String.join(",", header), "a header with " + column);
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int r = 1; r < records.size(); r++) {
            List<String> fields = records.get(r);
            if (fields.size() == 1 && fields.getFirst().isEmpty()) continue;
            if (fields.size() != header.size()) {
                throw new ResultsFormatException(file, lines.get(r), "record", fields.size() + " fields",
                        header.size() + " fields, as the header has");
            }
            rows.add(new Row(file, lines.get(r), index, fields));
        }
        return new CsvTable(file, rows);
    }

    private static void parse(Path file, String text, List<List<String>> records, List<Integer> lines) {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStarted = false;
        int line = 1;
        int recordLine = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    if (c == '\n') line++;
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty() && !fieldStarted) {
                quoted = true;
                fieldStarted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') i++;
                record.add(field.toString());
                records.add(record);
                lines.add(recordLine);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                line++;
                recordLine = line;
            } else {
                field.append(c);
                fieldStarted = true;
            }
        }
        if (quoted) throw new ResultsFormatException(file, recordLine, "quoted field", field.toString(), "a closing quote");
        if (fieldStarted || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
            lines.add(recordLine);
        }
    }

    /** The file read. */
    public Path file() {
        return file;
    }

    /** Its records after the header, blank lines left out. */
    public List<Row> rows() {
        return rows;
    }

    /** One record, read by column name. */
    public record Row(Path file, int line, Map<String, Integer> index, List<String> fields) {
        /** The field's text (stripped of surrounding blanks), never null. */
        public String text(String column) {
            return fields.get(index.get(column)).strip();
        }

        /** The field's text, which must not be empty. */
        public String required(String column) {
            String value = text(column);
            if (value.isEmpty()) throw new ResultsFormatException(file, line, column, "", "a value");
            return value;
        }

        /**
         * A plain decimal; NaN when the field is empty (or {@code NaN}, what JMH reports as the
         * error of a single iteration) and {@code optional}.
         */
        public double number(String column, boolean optional) {
            String value = text(column);
            if ((value.isEmpty() || value.equals("NaN")) && optional) return Double.NaN;
            try {
                double d = Double.parseDouble(value);
                if (Double.isFinite(d) && !value.matches(".*[dDfFxX].*")) return d;
            } catch (NumberFormatException e) {
                // reported below, with the file and line
            }
            throw new ResultsFormatException(file, line, column, value, "a plain decimal number" + (optional ? " or nothing" : ""));
        }

        /** A whole number of at least {@code min}. */
        public long whole(String column, long min) {
            String value = text(column);
            try {
                long n = Long.parseLong(value);
                if (n >= min) return n;
            } catch (NumberFormatException e) {
                // reported below, with the file and line
            }
            throw new ResultsFormatException(file, line, column, value, "a whole number of at least " + min);
        }

        /** The field, which must be one of {@code allowed}. */
        public String oneOf(String column, List<String> allowed) {
            String value = text(column);
            if (!allowed.contains(value)) throw new ResultsFormatException(file, line, column, value, "one of " + allowed);
            return value;
        }
    }
}
