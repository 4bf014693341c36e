package org.pxlab.experiments.suite;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.pxlab.runtime.config.ConfigurationException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.MappingEndEvent;
import org.yaml.snakeyaml.events.MappingStartEvent;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.events.SequenceEndEvent;
import org.yaml.snakeyaml.events.SequenceStartEvent;

/**
 * Reads one YAML document into plain values: a {@link LinkedHashMap} of {@code String} keys for
 * a mapping, a {@link List} for a sequence, a {@code String} for every scalar (the suite's
 * fields say what a scalar must be, not YAML's implicit types).
 *
 * <p>Only SnakeYAML's parser is used, event by event; no constructor runs, so nothing in the
 * input chooses a Java type. Any explicit tag ({@code !!int}, {@code !!java.net.URL}, {@code !x})
 * is refused rather than ignored. Limits keep a hostile file cheap: {@value #MAX_CHARACTERS}
 * characters, nesting {@value #MAX_DEPTH} deep, and {@value #MAX_VALUES} values counted after
 * expanding aliases, so a "billion laughs" of nested aliases is refused after a few thousand.
 */
public final class SafeYaml {
    /** The longest document read: 1 MiB of characters. */
    public static final int MAX_CHARACTERS = 1 << 20;
    /** Mappings and sequences nested deeper are refused. */
    public static final int MAX_DEPTH = 32;
    /** Values (scalars, mappings, sequences) the document may hold, aliases expanded. */
    public static final int MAX_VALUES = 100_000;

    private final String source;
    private final Iterator<Event> events;
    private final Map<String, Anchored> anchors = new HashMap<>();
    private int values;

    /** An anchored value and how many values it holds, charged again at each alias to it. */
    private record Anchored(Object value, int size) {}

    private SafeYaml(String source, Iterator<Event> events) {
        this.source = source;
        this.events = events;
    }

    /**
     * Parses {@code text}.
     *
     * @param source what the text is, for error messages (a file name or a built-in suite's name)
     * @return a map, a list or a string; never null
     * @throws ConfigurationException for malformed YAML, a tag, an empty document or a limit passed
     */
    public static Object read(String text, String source) {
        return read(text, source, MAX_CHARACTERS);
    }

    /** As {@link #read(String, String)}, with another size limit (pxlab's own, larger, result files). */
    public static Object read(String text, String source, int maxCharacters) {
        if (text.length() > maxCharacters) {
            throw new ConfigurationException(source, text.length() + " characters", "at most " + maxCharacters + " characters");
        }
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(maxCharacters);
        options.setNestingDepthLimit(MAX_DEPTH);
        try {
            SafeYaml reader = new SafeYaml(source, new Yaml(options).parse(new StringReader(text)).iterator());
            return reader.document();
        } catch (YAMLException e) {
            throw new ConfigurationException(source, firstLine(e.getMessage()), "well-formed YAML");
        }
    }

    private Object document() {
        expect(next(), "the start of the stream");
        Event e = next();
        if (e.is(Event.ID.StreamEnd)) throw new ConfigurationException(source, "(an empty document)", "a mapping of suite fields");
        Object root = value(next(), "", 0);
        expect(next(), "the end of the document");
        Event end = next();
        if (!end.is(Event.ID.StreamEnd)) {
            throw new ConfigurationException(source, "a second document at line " + line(end.getStartMark()), "one document");
        }
        return root;
    }

    private Object value(Event e, String path, int depth) {
        if (depth > MAX_DEPTH) throw new ConfigurationException(where(path), "nesting deeper than " + MAX_DEPTH, "a shallower document");
        if (++values > MAX_VALUES) throw tooBig(path);
        int before = values;
        Object v;
        String anchor;
        if (e instanceof ScalarEvent s) {
            refuseTag(s.getTag(), path);
            v = s.getValue();
            anchor = s.getAnchor();
        } else if (e instanceof AliasEvent a) {
            Anchored target = anchors.get(a.getAnchor());
            if (target == null) throw new ConfigurationException(where(path), "*" + a.getAnchor(), "an alias of an anchor defined above");
            values += target.size() - 1;
            if (values > MAX_VALUES) throw tooBig(path);
            return target.value();
        } else if (e instanceof SequenceStartEvent s) {
            refuseTag(s.getTag(), path);
            List<Object> list = new ArrayList<>();
            for (Event item = next(); !(item instanceof SequenceEndEvent); item = next()) {
                list.add(value(item, path + "[" + list.size() + "]", depth + 1));
            }
            v = List.copyOf(list);
            anchor = s.getAnchor();
        } else if (e instanceof MappingStartEvent m) {
            refuseTag(m.getTag(), path);
            Map<String, Object> map = new LinkedHashMap<>();
            for (Event key = next(); !(key instanceof MappingEndEvent); key = next()) {
                if (!(key instanceof ScalarEvent k)) {
                    throw new ConfigurationException(where(path), "a non-text key at line " + line(key.getStartMark()), "keys that are plain words");
                }
                refuseTag(k.getTag(), path);
                String name = k.getValue();
                String at = path.isEmpty() ? name : path + "." + name;
                if (++values > MAX_VALUES) throw tooBig(path);
                if (map.containsKey(name)) throw new ConfigurationException(where(at), name, "each key once per mapping");
                map.put(name, value(next(), at, depth + 1));
            }
            v = java.util.Collections.unmodifiableMap(map);
            anchor = m.getAnchor();
        } else {
            throw new ConfigurationException(where(path), e.getEventId().name(), "a value");
        }
        if (anchor != null) anchors.put(anchor, new Anchored(v, values - before + 1));
        return v;
    }

    private void refuseTag(String tag, String path) {
        if (tag != null) throw new ConfigurationException(where(path), tag, "no YAML tags: values are plain text");
    }

    private ConfigurationException tooBig(String path) {
        return new ConfigurationException(where(path), "more than " + MAX_VALUES + " values (aliases expanded)",
                "a smaller document");
    }

    private String where(String path) {
        return path.isEmpty() ? source : path;
    }

    private Event next() {
        if (!events.hasNext()) throw new ConfigurationException(source, "an unexpected end", "well-formed YAML");
        return events.next();
    }

    private static void expect(Event e, String what) {
        if (!(e.is(Event.ID.StreamStart) || e.is(Event.ID.DocumentStart) || e.is(Event.ID.DocumentEnd))) {
            throw new IllegalStateException("YAML parser gave " + e + " where " + what + " belongs");
        }
    }

    private static int line(Mark m) {
        return m == null ? 0 : m.getLine() + 1;
    }

    private static String firstLine(String message) {
        if (message == null) return "(no detail)";
        String m = message.strip().replaceAll("\\s+", " ");
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
