package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.exec.PxRuntime;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.serve.Server;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * {@code wiki-search}'s {@code query-hits} mode, at a small size: every request returns the
 * offsets of all the titles starting with the chosen prefix, as many as plain Java counts over
 * the same generated titles, first and last equal to the offsets summed in Java.
 */
class WikiSearchQueryTest {
    private static final ComponentRegistry REGISTRY = ComponentRegistry.load();

    @ParameterizedTest(name = "on {0}")
    @CsvSource({"gil", "split-brain", "fine-grained"})
    void aQueryReturnsEveryHitOfThePrefixClosestToTheTarget(String configuration) {
        long count = 20_000;
        WikiTitles titles = new WikiTitles(count, 42);
        String prefix = titles.prefixMatching(150);
        List<Long> expected = new ArrayList<>();
        long offset = 0;
        for (long i = 0; i < count; i++) {
            String s = titles.get(i);
            if (s.startsWith(prefix)) expected.add(offset);
            offset += s.length() + WikiSearchWorkload.ARTICLE_BODY;
        }
        assertThat(expected.size()).as("hits of '%s'", prefix).isBetween(100, 200);

        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble(configuration))) {
            Service service = Server.setUp(rt, new WikiSearchWorkload(),
                    new ComponentParameters("wiki-search", Map.of("titles", Long.toString(count), "query-hits", "150")));
            AtomicLong checked = new AtomicLong();
            Service observed = Service.of(service.handler(), service::request, (m, index, response) -> {
                service.verify(m, index, response);
                Heap h = m.heap();
                assertThat(h.lists().size(response)).isEqualTo(expected.size());
                assertThat(h.numbers().intValue(h.lists().getItem(response, 0))).isEqualTo(expected.getFirst());
                assertThat(h.numbers().intValue(h.lists().getItem(response, expected.size() - 1))).isEqualTo(expected.getLast());
                checked.incrementAndGet();
            });
            Server.serve(rt, observed, 1, 0, 5);
            assertThat(checked).hasValue(5);
        }
    }

    @ParameterizedTest(name = "limit {0}")
    @CsvSource({"1", "40"})
    void aLimitCutsTheResultSet(int limit) {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, new WikiSearchWorkload(), new ComponentParameters("wiki-search",
                    Map.of("titles", "20000", "query-hits", "150", "limit", Integer.toString(limit))));
            AtomicLong size = new AtomicLong();
            Server.serve(rt, Service.of(service.handler(), service::request, (m, index, response) -> {
                service.verify(m, index, response);
                size.set(m.heap().lists().size(response));
            }), 1, 0, 2);
            assertThat(size).hasValue(limit);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"query-hits,0", "titles,100000001", "limit,10000001"})
    void refusesOutOfRangeOptions(String option, String value) {
        Map<String, String> options = new HashMap<>(Map.of("titles", "100"));
        options.put(option, value);
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            assertThatThrownBy(() -> Server.setUp(rt, new WikiSearchWorkload(), new ComponentParameters("wiki-search", options)))
                    .hasMessageContaining("wiki-search." + option);
        }
    }

    /** The check is not vacuous: a response of the wrong size is refused. */
    @Test
    void aWrongAnswerIsRefused() {
        try (PxRuntime rt = PxRuntime.start(REGISTRY.assemble("gil"))) {
            Service service = Server.setUp(rt, new WikiSearchWorkload(),
                    new ComponentParameters("wiki-search", Map.of("titles", "20000", "query-hits", "150")));
            // Answers with an empty list instead of the search's.
            Service wrong = Service.of(service.handler(), service::request, (m, index, response) -> {
                long empty = m.heap().lists().newList(0, m.thread());
                try {
                    service.verify(m, index, empty);
                } finally {
                    m.heap().decref(empty, m.thread());
                }
            });
            assertThatThrownBy(() -> Server.serve(rt, wrong, 1, 0, 1)).isInstanceOf(WrongAnswer.class);
        }
    }
}
