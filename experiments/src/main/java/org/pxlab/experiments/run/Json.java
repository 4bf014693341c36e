package org.pxlab.experiments.run;

import java.util.List;
import java.util.Map;

/**
 * Writes the JSON of the results folder (environment.json, suite.json, progress lines) from
 * maps, lists, strings, numbers, booleans and nulls; reading it back goes through
 * {@link org.pxlab.experiments.suite.SafeYaml}, since JSON is YAML.
 */
final class Json {
    private Json() {}

    /** The value as compact JSON. */
    static String of(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, -1, 0);
        return b.toString();
    }

    /** The value as JSON indented by two spaces per level. */
    static String pretty(Object value) {
        StringBuilder b = new StringBuilder();
        write(b, value, 2, 0);
        return b.append('\n').toString();
    }

    private static void write(StringBuilder b, Object v, int indent, int level) {
        switch (v) {
            case null -> b.append("null");
            case String s -> string(b, s);
            case Boolean x -> b.append(x);
            case Double d when !Double.isFinite(d) -> b.append("null");
            case Number n -> b.append(n);
            case Map<?, ?> m -> {
                b.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    if (i++ > 0) b.append(indent < 0 ? ", " : ",");
                    newline(b, indent, level + 1);
                    string(b, String.valueOf(e.getKey()));
                    b.append(": ");
                    write(b, e.getValue(), indent, level + 1);
                }
                if (!m.isEmpty()) newline(b, indent, level);
                b.append('}');
            }
            case List<?> l -> {
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(indent < 0 ? ", " : ",");
                    newline(b, indent, level + 1);
                    write(b, l.get(i), indent, level + 1);
                }
                if (!l.isEmpty()) newline(b, indent, level);
                b.append(']');
            }
            default -> throw new IllegalArgumentException("no JSON for " + v.getClass().getName());
        }
    }

    private static void newline(StringBuilder b, int indent, int level) {
        if (indent < 0) return;
        b.append('\n').append(" ".repeat(indent * level));
    }

    private static void string(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) b.append(String.format("\\u%04x", (int) c));
                    else b.append(c);
                }
            }
        }
        b.append('"');
    }
}
