package org.pxlab.experiments.suite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * One thing {@code pxlab run} measures, as suite.json records it: everything needed to run it
 * again, so {@code --resume} reads these back rather than the suite file.
 *
 * @param id            stable and filesystem-safe: {@code kind-configuration-workload-tN}, then
 *                      {@code -pHASH} when the workload has parameters
 * @param kind          what is measured
 * @param configuration the configuration's name (built-in or composed in the suite)
 * @param components    the configuration's components: {@code sync}, then {@code allocator},
 *                      {@code refcount}, {@code collector} of the first space and
 *                      {@code SPACE.allocator} ... of any other
 * @param workload      the workload's name; empty for stress
 * @param params        the workload's parameters, sorted by key
 * @param threads       runtime worker threads; 0 for stress and projection
 * @param settings      the kind's settings as written ({@code forks}, {@code time}, {@code rate}, ...);
 *                      {@code composition} holds a composed configuration's {@link Composition#spec()}
 */
public record Measurement(String id, Kind kind, String configuration, Map<String, String> components, String workload,
                          Map<String, String> params, int threads, Map<String, String> settings) {
    public Measurement {
        components = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(components));
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
        settings = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(settings));
    }

    /** The setting {@code composition}, or empty for a built-in configuration. */
    public String composition() {
        return settings.getOrDefault("composition", "");
    }

    /** A setting the suite parser put there. */
    public String setting(String key) {
        String v = settings.get(key);
        if (v == null) throw new IllegalStateException(id + " has no setting " + key);
        return v;
    }

    /** This measurement with some settings replaced (or added). */
    public Measurement withSettings(Map<String, String> replaced) {
        Map<String, String> all = new java.util.LinkedHashMap<>(settings);
        all.putAll(replaced);
        return new Measurement(id, kind, configuration, components, workload, params, threads, all);
    }

    /** The parameters as results.csv writes them: {@code k=v;k=v} sorted by key, empty when none. */
    public String paramsText() {
        return paramsText(params);
    }

    /** {@code k=v;k=v} sorted by key: results.csv's params, and WorkloadBench's {@code options}. */
    public static String paramsText(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        new TreeMap<>(params).forEach((k, v) -> b.append(b.isEmpty() ? "" : ";").append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * The id of a measurement: {@code kind-configuration-workload-tN[-pHASH]}, {@code stress-configuration},
     * or {@code projection-configuration-workload[-pHASH]} (a projection spans core counts, not threads).
     */
    public static String id(Kind kind, String configuration, String workload, Map<String, String> params, int threads) {
        if (kind == Kind.STRESS) return kind.label() + "-" + configuration;
        String id = kind.label() + "-" + configuration + "-" + workload + (kind == Kind.PROJECTION ? "" : "-t" + threads);
        return params.isEmpty() ? id : id + "-p" + hash(paramsText(params));
    }

    /** The first 8 hex digits of the text's SHA-256. */
    static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
