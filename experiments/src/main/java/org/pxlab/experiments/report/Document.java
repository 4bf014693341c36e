package org.pxlab.experiments.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A report as plain structure: sections of text, tables, links and charts, which
 * {@link HtmlRenderer} and {@link MarkdownRenderer} turn into the two files. Every string in
 * it is raw text, escaped by the renderer; only a chart's SVG is markup, and that is drawn by
 * JFreeSVG, which escapes the text it draws.
 */
record Document(String title, List<Section> sections) {
    /** One titled part of a report. */
    record Section(String title, List<Block> blocks) {
        Section(String title) {
            this(title, new ArrayList<>());
        }

        Section text(String text) {
            blocks.add(new Text(text));
            return this;
        }

        Section table(Table table) {
            blocks.add(table);
            return this;
        }

        Section chart(String svg, String caption) {
            blocks.add(new Chart(svg, caption));
            return this;
        }

        Section links(List<Link> links) {
            blocks.add(new Links(links));
            return this;
        }
    }

    /** A part of a section. */
    sealed interface Block permits Text, Table, Chart, Links {}

    /** A paragraph. */
    record Text(String text) implements Block {}

    /** A table; every row has the header's length. */
    record Table(List<String> header, List<List<String>> rows) implements Block {
        Table(String... header) {
            this(List.of(header), new ArrayList<>());
        }

        Table row(String... cells) {
            if (cells.length != header.size()) throw new IllegalArgumentException(cells.length + " cells for " + header);
            rows.add(List.of(cells));
            return this;
        }
    }

    /** An SVG chart (HTML only) and its caption. */
    record Chart(String svg, String caption) implements Block {}

    /** A list of cited sources. */
    record Links(List<Link> links) implements Block {}

    /** A cited source: what it says, and where. */
    record Link(String text, String url) {}
}
