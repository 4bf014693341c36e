package org.pxlab.experiments.workload;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.LongStream;
import org.pxlab.runtime.exec.Definitions;
import org.pxlab.runtime.exec.Mutator;
import org.pxlab.runtime.exec.ThreadContext;
import org.pxlab.runtime.object.Heap;
import org.pxlab.runtime.object.NativeModules;
import org.pxlab.runtime.object.TypeKind;
import org.pxlab.runtime.serve.Service;
import org.pxlab.runtime.serve.Workload;
import org.pxlab.runtime.serve.WrongAnswer;
import org.pxlab.runtime.spi.ComponentParameters;

/**
 * The seed's search server: the main thread builds a sorted list of K synthetic article
 * titles and their byte offsets into a dump (PyParallel's wiki server kept a trie of 27 M
 * titles with offsets into a ~55 GB XML file); each request finds the titles starting with a
 * prefix through the shared lists and builds its own result list of offsets.
 *
 * <pre>
 * from bisect import bisect_left
 * titles = [...]     # K titles, sorted
 * offsets = [...]    # their offsets
 * limit = 100
 *
 * def search(prefix):
 *     i = bisect_left(titles, prefix)
 *     results = []
 *     n = len(titles)
 *     while i &lt; n:
 *         title = titles[i]
 *         if not title.startswith(prefix):
 *             break
 *         results.append(offsets[i])
 *         if len(results) &gt;= limit:
 *             break
 *         i = i + 1
 *     return results
 * </pre>
 *
 * Titles are two to four syllables from a 48-syllable alphabet, a space, and a number,
 * generated from a seed, so every run builds the same data ({@link WikiTitles}: each title is
 * computed from its index, so the Java side holds nothing per title and the build is linear).
 * Requests cycle through 256 prefixes (1 to 4 leading characters of random titles) whose
 * answers (number of offsets, first and last offset) are computed in Java at set-up.
 *
 * <p>Options: {@code titles} (default 200000, up to 100 million; PyParallel's server held
 * 27 million), {@code limit} (default 100), {@code seed} (default 42), and
 * {@code query-hits}: when given, every request searches the one prefix whose number of
 * titles is closest to it ({@link WikiTitles#prefixMatching}), and {@code limit} defaults to
 * {@value #MAX_LIMIT}, so a request builds the whole result set: {@code query-hits=16333}
 * times PyParallel's 16,333-hit query.
 */
public final class WikiSearchWorkload implements Workload {
    /** The most titles: PyParallel's 27 million fit with room to spare; the list's length must be a Python int. */
    static final long MAX_TITLES = 100_000_000L;
    /** The largest {@code limit}: above the hits of any prefix of 27 million titles, even one letter's (about 2 million). */
    static final int MAX_LIMIT = 10_000_000;
    /** Each article's bytes in the dump past its title: offsets grow by the title's length plus this. */
    static final int ARTICLE_BODY = 1024;
    private static final int PREFIXES = 256;

    @Override
    public String name() {
        return "wiki-search";
    }

    @Override
    public String description() {
        return "the seed's search server: prefix search over K shared sorted titles (default 200,000), a result list per request";
    }

    @Override
    public Service setUp(Mutator m, ComponentParameters parameters) {
        long count = parameters.longValue("titles", 200_000, 1, MAX_TITLES);
        // 0, outside the allowed range, stands for "not given": the default depends on query-hits.
        int limitOption = (int) parameters.longValue("limit", 0, 1, MAX_LIMIT);
        long seed = parameters.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        long queryHits = parameters.longValue("query-hits", 0, 1, MAX_TITLES);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();

        WikiTitles titles = new WikiTitles(count, seed);
        // Requests: prefixes with their answers, computed in Java from the generator, before the
        // build, which then only notes the offsets of their first and last hits as it passes them.
        String[] prefixes = new String[queryHits > 0 ? 1 : PREFIXES];
        long[] first = new long[prefixes.length];
        long[] hits = new long[prefixes.length];
        if (queryHits > 0) {
            prefixes[0] = titles.prefixMatching(queryHits);
        } else {
            Random r = new Random(seed + 1);
            for (int p = 0; p < PREFIXES; p++) {
                String title = titles.get(r.nextLong(count));
                prefixes[p] = title.substring(0, Math.min(title.length(), 1 + r.nextInt(4)));
            }
        }
        for (int p = 0; p < prefixes.length; p++) {
            first[p] = titles.lowerBound(prefixes[p]);
            hits[p] = titles.countWithPrefix(prefixes[p]);
        }
        int limit = limitOption > 0 ? limitOption : queryHits > 0 ? MAX_LIMIT : 100;
        long[] last = new long[prefixes.length];
        for (int p = 0; p < prefixes.length; p++) last[p] = first[p] + Math.max(0, Math.min(hits[p], limit) - 1);
        long[] noted = LongStream.concat(LongStream.of(first), LongStream.of(last)).distinct().sorted().toArray();
        long[] notedOffset = new long[noted.length];

        long module = d.module("wiki_app");
        long bisect = d.module("_bisect");
        d.nativeFunction(bisect, "bisect_left", NativeModules::bisectLeft);
        d.global(module, "bisect_left", h.newRef(h.dicts().getItem(h.modules().dict(bisect), h.strings().intern("bisect_left", t)), t));
        long titleList = h.lists().newList(count, t);
        long offsetList = h.lists().newList(count, t);
        long offset = 0;
        int next = 0;
        for (long i = 0; i < count; i++) {
            String title = titles.get(i);
            while (next < noted.length && noted[next] == i) notedOffset[next++] = offset;
            h.lists().appendTake(titleList, h.strings().newStr(title, t), t);
            h.lists().appendTake(offsetList, h.numbers().newInt(offset, t), t);
            offset += title.length() + ARTICLE_BODY;
        }
        d.global(module, "titles", titleList);
        d.global(module, "offsets", offsetList);
        d.global(module, "limit", h.numbers().newInt(limit, t));

        long[] prefixObjects = new long[prefixes.length];
        int[] expectedCount = new int[prefixes.length];
        long prefixList = h.lists().newList(prefixes.length, t);
        for (int p = 0; p < prefixes.length; p++) {
            expectedCount[p] = (int) Math.min(hits[p], limit);
            prefixObjects[p] = h.strings().newStr(prefixes[p], t);
            h.lists().appendTake(prefixList, prefixObjects[p], t);
        }
        d.global(module, "_prefixes", prefixList); // keeps the request arguments alive
        long[] expectedFirst = new long[prefixes.length];
        long[] expectedLast = new long[prefixes.length];
        for (int p = 0; p < prefixes.length; p++) {
            // A prefix without hits has no offsets to check (its first index may be past the end).
            if (expectedCount[p] == 0) continue;
            expectedFirst[p] = notedOffset[Arrays.binarySearch(noted, first[p])];
            expectedLast[p] = notedOffset[Arrays.binarySearch(noted, last[p])];
        }
        int kinds = prefixes.length;

        // locals: prefix 0, i 1, results 2, n 3, title 4
        long handler = d.function(module, "search", 1, 5, new Object[] {1L},
                new String[] {"bisect_left", "titles", "len", "offsets", "limit", "startswith", "append"}, b -> {
                    b.loadGlobal(0, true);          // i = bisect_left(titles, prefix)
                    b.loadGlobal(1, false);
                    b.loadFast(0);
                    b.call(2);
                    b.storeFast(1);
                    b.buildList(0);                 // results = []
                    b.storeFast(2);
                    b.loadGlobal(2, true);          // n = len(titles)
                    b.loadGlobal(1, false);
                    b.call(1);
                    b.storeFast(3);
                    while (true) {
                        b.loadFast(1);              // while i < n:
                        b.loadFast(3);
                        b.compareInt(Mutator.Compare.LT);
                        if (!b.popTruth()) break;
                        b.loadGlobal(1, false);     //     title = titles[i]
                        b.loadFast(1);
                        b.binarySubscr();
                        b.storeFast(4);
                        b.loadFast(4);              //     if not title.startswith(prefix): break
                        b.loadMethod(5);
                        b.loadFast(0);
                        b.call(1);
                        if (!b.popTruth()) break;
                        b.loadFast(2);              //     results.append(offsets[i])
                        b.loadMethod(6);
                        b.loadGlobal(3, false);
                        b.loadFast(1);
                        b.binarySubscr();
                        b.call(1);
                        b.popTop();
                        b.loadGlobal(2, true);      //     if len(results) >= limit: break
                        b.loadFast(2);
                        b.call(1);
                        b.loadGlobal(4, false);
                        b.compareInt(Mutator.Compare.GE);
                        if (b.popTruth()) break;
                        b.loadFast(1);              //     i = i + 1
                        b.loadConst(0);
                        b.binaryAddInt();
                        b.storeFast(1);
                        b.jumpBackward();                     // JUMP_BACKWARD
                    }
                    b.loadFast(2);                  // return results
                    b.returnValue();
                });
        return Service.of(handler, (w, index) -> w.heap().newRef(prefixObjects[(int) (index % kinds)], w.thread()),
                (w, index, response) -> {
                    Heap heap = w.heap();
                    int p = (int) (index % kinds);
                    if (heap.kindOf(response) != TypeKind.LIST || heap.lists().size(response) != expectedCount[p]) {
                        throw new WrongAnswer("wiki-search", index, "expected " + expectedCount[p] + " offsets for prefix '"
                                + heap.strings().toJava(prefixObjects[p]) + "'");
                    }
                    if (expectedCount[p] > 0 && heap.numbers().intValue(heap.lists().getItem(response, 0)) != expectedFirst[p]) {
                        throw new WrongAnswer("wiki-search", index, "first offset should be " + expectedFirst[p]);
                    }
                    if (expectedCount[p] > 0 && heap.numbers().intValue(heap.lists().getItem(response, expectedCount[p] - 1))
                            != expectedLast[p]) {
                        throw new WrongAnswer("wiki-search", index, "last offset should be " + expectedLast[p]);
                    }
                });
    }
}
