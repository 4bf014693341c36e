package org.pxlab.experiments.notebooks;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a notebook file holds that a stored (source) notebook must not: cell outputs and execution
 * counts. Read from the .ipynb JSON text, whose cells always carry {@code "outputs": [...]} and
 * {@code "execution_count": ...} (nbformat 4): a stored notebook has {@code []} and {@code null}.
 */
final class StoredNotebook {
    private static final Pattern OUTPUTS = Pattern.compile("\"outputs\"\\s*:\\s*\\[\\s*[^\\]\\s]");
    private static final Pattern EXECUTION_COUNT = Pattern.compile("\"execution_count\"\\s*:\\s*(?!null\\b)([^,}\\s]+)");

    private StoredNotebook() {
    }

    /** One line per output list that is not empty and per execution count that is not null; empty when clean. */
    static List<String> leftovers(String json) {
        List<String> found = new ArrayList<>();
        Matcher outputs = OUTPUTS.matcher(json);
        while (outputs.find()) {
            found.add("cell outputs at line " + lineOf(json, outputs.start()));
        }
        Matcher counts = EXECUTION_COUNT.matcher(json);
        while (counts.find()) {
            found.add("execution_count " + counts.group(1) + " at line " + lineOf(json, counts.start()));
        }
        return found;
    }

    private static long lineOf(String text, int offset) {
        return text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1;
    }
}
