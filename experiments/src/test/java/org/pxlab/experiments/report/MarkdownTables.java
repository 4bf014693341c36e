package org.pxlab.experiments.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the tables of one section of a Markdown report back as rows of cells, Markdown's backslash escapes undone. */
final class MarkdownTables {
    private MarkdownTables() {}

    /** The body rows of the tables under {@code ## title} (header and separator rows left out). */
    static List<List<String>> rows(String markdown, String title) {
        int start = markdown.indexOf("\n## " + title + "\n");
        if (start < 0) throw new AssertionError("no section '" + title + "' in:\n" + markdown);
        int end = markdown.indexOf("\n## ", start + 4);
        String section = markdown.substring(start, end < 0 ? markdown.length() : end);
        List<List<String>> rows = new ArrayList<>();
        boolean header = true;
        for (String line : section.split("\n")) {
            if (!line.startsWith("|")) {
                header = true;
                continue;
            }
            if (line.startsWith("|---")) continue;
            if (header) {
                header = false;
                continue;
            }
            String[] cells = line.substring(1, line.length() - 1).split("(?<!\\\\)\\|");
            rows.add(Arrays.stream(cells).map(c -> c.strip().replaceAll("\\\\(.)", "$1")).toList());
        }
        return rows;
    }

    /** The one row whose first cells are {@code leading}. */
    static List<String> row(String markdown, String title, String... leading) {
        List<List<String>> matches = rows(markdown, title).stream()
                .filter(r -> r.subList(0, leading.length).equals(List.of(leading))).toList();
        if (matches.size() != 1) throw new AssertionError(matches.size() + " rows start with " + List.of(leading) + " in " + title);
        return matches.getFirst();
    }
}
