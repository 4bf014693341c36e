package org.pxlab.experiments.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reads what {@code environment.json} and {@code suite.json} say about a run: the machine as
 * key/value pairs (in the file's order), the suite's name and source, and each measurement
 * id's point (so a latency log is placed by its measurement even without results rows).
 */
final class RunDescription {
    private RunDescription() {}

    /** Reads {@code environment.json}: every field as one line of text, in the file's order. */
    static Map<String, String> readEnvironment(Path file) throws IOException {
        LocatedJson json = LocatedJson.read(file);
        Map<String, String> environment = new LinkedHashMap<>();
        json.object("").properties().forEach(e -> environment.put(e.getKey(), plain(e.getValue())));
        return environment;
    }

    /** Reads {@code suite.json}: returns its name, source and the point of every measurement id. */
    static Suite readSuite(Path file) throws IOException {
        LocatedJson json = LocatedJson.read(file);
        String name = json.text("/suite");
        String source = json.at("/source").isMissingNode() ? "" : plain(json.at("/source"));
        JsonNode measurements = json.array("/measurements");
        Map<String, Point> points = new HashMap<>();
        for (int i = 0; i < measurements.size(); i++) {
            String m = "/measurements/" + i;
            String id = json.text(m + "/id");
            String configuration = json.text(m + "/configuration");
            String workload = json.text(m + "/workload");
            double threads = json.number(m + "/threads");
            // A stress measurement runs jcstress's own threads: its suite entry says 0.
            if (threads < 0 || threads != Math.rint(threads) || threads > Integer.MAX_VALUE) {
                json.fail(m + "/threads", json.at(m + "/threads"), "a whole number of at least 0");
            }
            String params = "";
            if (!json.at(m + "/params").isMissingNode() && !json.at(m + "/params").isNull()) {
                Map<String, String> sorted = new TreeMap<>();
                json.object(m + "/params").properties().forEach(e -> sorted.put(e.getKey(), plain(e.getValue())));
                params = sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
            }
            points.put(id, new Point(configuration, workload, params, (int) threads));
        }
        return new Suite(name, source, points);
    }

    /**
     * Reads {@code progress.jsonl}: the measurements that failed, each with its cause, and how
     * many ended in all. A later line for an id (a resumed run) replaces an earlier one.
     */
    static Progress readProgress(Path file) throws IOException {
        Map<String, String> failed = new java.util.LinkedHashMap<>();
        java.util.Set<String> ended = new java.util.HashSet<>();
        for (LocatedJson line : LocatedJson.readLines(file)) {
            String id = line.text("/id");
            String status = line.text("/status");
            ended.add(id);
            switch (status) {
                case "ok" -> failed.remove(id);
                case "failed" -> failed.put(id, line.at("/cause").isTextual() ? line.at("/cause").textValue() : "");
                default -> line.fail("/status", line.at("/status"), "\"ok\" or \"failed\"");
            }
        }
        return new Progress(ended.size(), failed);
    }

    /** What progress.jsonl says: how many measurements ended, and each failed one's cause by id. */
    record Progress(int ended, Map<String, String> failed) {}

    /** The suite's name, its source and each measurement id's point. */
    record Suite(String name, String source, Map<String, Point> points) {}

    /** A JSON value as one line of text: a string as is, an array as its items joined by spaces. */
    private static String plain(JsonNode node) {
        if (node.isTextual()) return node.textValue();
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(plain(item)));
            return String.join(" ", items);
        }
        return node.isNull() ? "" : node.isNumber() ? node.decimalValue().stripTrailingZeros().toPlainString() : node.toString();
    }
}
