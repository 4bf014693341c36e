package org.pxlab.runtime.discipline;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One row of the reference-discipline table: a CPython bytecode (in its specialised form),
 * the mutator operation that models it, the references it creates and releases, and where
 * in CPython's source that comes from.
 *
 * <p>{@code traffic} is written as CPython's developers would say it, e.g.
 * {@code "+1 attr; -1 owner"}: each term is {@code +1} or {@code -1} and a role, the object
 * that receives the {@code Py_INCREF} or {@code Py_DECREF}. Roles not named are untouched
 * (a reference that moves, {@code mv}, is named in {@code moves} for the reader but emits
 * nothing). The expected counts are parsed from this text, so the README and the test read
 * the same words.
 *
 * @param bytecode  e.g. {@code LOAD_ATTR_INSTANCE_VALUE}
 * @param operation the {@code Mutator} method, e.g. {@code loadAttr}
 * @param traffic   the increfs and decrefs, e.g. {@code +1 attr; -1 owner}
 * @param moves     references that move without a count change, for the reader
 * @param source    the file and function in CPython that emits them
 */
public record OpTraffic(String bytecode, String operation, String traffic, String moves, String source) {
    private static final Pattern TERM = Pattern.compile("([+-])1 ([a-z_]+)");

    /** Increfs expected per role. */
    public Map<String, Integer> increfs() {
        return count('+');
    }

    /** Decrefs expected per role. */
    public Map<String, Integer> decrefs() {
        return count('-');
    }

    private Map<String, Integer> count(char sign) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = TERM.matcher(traffic);
        while (m.find()) {
            if (m.group(1).charAt(0) == sign) out.merge(m.group(2), 1, Integer::sum);
        }
        return out;
    }
}
