package org.pxlab.experiments.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON file of a results folder read as a tree that remembers the line each value starts on,
 * so that a value of the wrong type is reported with its file, line and path ({@code /0/primaryMetric/score}),
 * not only a syntax error. Plain data only: no types are bound from the input.
 */
final class LocatedJson {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build()).build();

    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private LocatedJson(Path file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    static LocatedJson read(Path file) throws IOException {
        return parse(file, Files.readString(file), 0);
    }

    /**
     * Reads a JSON Lines file ({@code progress.jsonl}): one document per non-blank line, each
     * reporting errors on its own line of the file.
     */
    static List<LocatedJson> readLines(Path file) throws IOException {
        List<String> text = Files.readAllLines(file);
        List<LocatedJson> documents = new ArrayList<>();
        for (int i = 0; i < text.size(); i++) {
            if (!text.get(i).isBlank()) documents.add(parse(file, text.get(i), i));
        }
        return documents;
    }

    /** Parses {@code text}, which starts on line {@code offset + 1} of {@code file}. */
    private static LocatedJson parse(Path file, String text, int offset) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) throw new ResultsFormatException(file, offset + 1, "/", null, "a JSON document");
            JsonNode root = value(parser, "", lines, offset);
            if (parser.nextToken() != null) {
                throw new ResultsFormatException(file, offset + parser.currentLocation().getLineNr(), "/", parser.getText(),
                        "nothing after the JSON document");
            }
            return new LocatedJson(file, root, lines);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : offset + e.getLocation().getLineNr();
            throw new ResultsFormatException(file, line, "JSON syntax", e.getOriginalMessage(), "well-formed JSON");
        }
    }

    private static JsonNode value(JsonParser parser, String path, Map<String, Integer> lines, int offset) throws IOException {
        lines.put(path, offset + parser.currentTokenLocation().getLineNr());
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        return switch (parser.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = nodes.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    parser.nextToken();
                    object.set(name, value(parser, path + "/" + name, lines, offset));
                }
                yield object;
            }
            case START_ARRAY -> {
                ArrayNode array = nodes.arrayNode();
                int i = 0;
                while (parser.nextToken() != JsonToken.END_ARRAY) array.add(value(parser, path + "/" + i++, lines, offset));
                yield array;
            }
            case VALUE_STRING -> nodes.textNode(parser.getText());
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> nodes.numberNode(parser.getDecimalValue());
            case VALUE_TRUE, VALUE_FALSE -> nodes.booleanNode(parser.getBooleanValue());
            case VALUE_NULL -> nodes.nullNode();
            default -> throw new IllegalStateException("unexpected JSON token " + parser.currentToken());
        };
    }

    Path file() {
        return file;
    }

    JsonNode root() {
        return root;
    }

    /** The node at {@code path} ({@code ""} for the root, else {@code /a/0/b}); missing node if absent. */
    JsonNode at(String path) {
        return root.at(path);
    }

    /** The node at {@code path}, which must be an object. */
    JsonNode object(String path) {
        JsonNode node = at(path);
        if (!node.isObject()) fail(path, node, "an object");
        return node;
    }

    /** The node at {@code path}, which must be an array. */
    JsonNode array(String path) {
        JsonNode node = at(path);
        if (!node.isArray()) fail(path, node, "an array");
        return node;
    }

    /** The text at {@code path}, which must be a string. */
    String text(String path) {
        JsonNode node = at(path);
        if (!node.isTextual()) fail(path, node, "a string");
        return node.textValue();
    }

    /** The finite number at {@code path}. */
    double number(String path) {
        JsonNode node = at(path);
        if (!node.isNumber() || !Double.isFinite(node.doubleValue())) fail(path, node, "a number");
        return node.doubleValue();
    }

    /** Throws the error for the value at {@code path}, reported on its own line or its nearest parent's. */
    void fail(String path, JsonNode found, String allowed) {
        throw new ResultsFormatException(file, lineOf(path), path, found.isMissingNode() ? null : found.toString(), allowed);
    }

    private int lineOf(String path) {
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('/'))) {
            Integer line = lines.get(p);
            if (line != null) return line;
            if (p.isEmpty()) return 0;
        }
    }
}
