package org.pxlab.stress.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.openjdk.jcstress.infra.runners.TestList;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.Hazard;

/**
 * Which test covers which cell of the safety matrix, rendered from the tests' {@link Covers}
 * and {@link ConfigurationClaims}: the table stress/README.md shows (SuiteTestsTest checks that
 * the README's copy is this table, so it cannot drift from the mapping). {@code main} prints it.
 * What the tests observed is {@code pxlab stress}'s matrix, not this.
 */
public final class CoverageTable {
    private CoverageTable() {}

    /** Prints the table for the tests the jcstress processor listed. */
    public static void main(String[] args) {
        System.out.print(render(TestList.tests()));
    }

    /** The Markdown table: configuration x hazard -> the tests covering it, "n/a" or "not covered"; then the other tests. */
    public static String render(Collection<String> tests) {
        List<String> sorted = tests.stream().sorted().toList();
        Set<String> configurations = new LinkedHashSet<>();
        ConfigurationClaims.BUILT_IN.forEach(c -> configurations.add(c.configuration()));
        for (String t : sorted) {
            Covers c = SummaryFile.coversOf(t);
            if (c != null) configurations.addAll(List.of(c.configurations()));
        }
        StringBuilder md = new StringBuilder("| configuration |");
        for (Hazard h : Hazard.values()) md.append(' ').append(h.label()).append(" |");
        md.append("\n|---|").append("---|".repeat(Hazard.values().length)).append('\n');
        for (String configuration : configurations) {
            md.append("| `").append(configuration).append("` |");
            for (Hazard h : Hazard.values()) {
                List<String> covering = new ArrayList<>();
                for (String t : sorted) {
                    Covers c = SummaryFile.coversOf(t);
                    if (c != null && List.of(c.configurations()).contains(configuration) && List.of(c.hazards()).contains(h)) {
                        covering.add("`" + simpleName(t) + "`");
                    }
                }
                String cell = !covering.isEmpty() ? String.join(", ", covering)
                        : ConfigurationClaims.of(configuration).notApplicable().containsKey(h) ? "n/a" : "not covered";
                md.append(' ').append(cell).append(" |");
            }
            md.append('\n');
        }
        md.append("\nControls and tests of components no configuration uses (rows of their own in the matrix):\n\n");
        for (String t : sorted) {
            Covers c = SummaryFile.coversOf(t);
            if (c == null || c.configurations().length > 0) continue;
            md.append("- `").append(simpleName(t)).append('`').append(StressSuite.controlOf(t) != null ? " (control)" : "")
                    .append(": ").append(c.setup()).append("; ")
                    .append(List.of(c.hazards()).stream().map(Hazard::label).collect(Collectors.joining(", "))).append('\n');
        }
        return md.toString();
    }

    private static String simpleName(String test) {
        return test.substring(test.lastIndexOf('.') + 1);
    }
}
