package org.pxlab.experiments.workload;

import java.util.Arrays;
import java.util.Random;
import java.util.TreeSet;
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
 * generated from a seed, so every run builds the same data. Requests cycle through 256
 * prefixes (1 to 4 leading characters of random titles) whose answers are computed in Java
 * at set-up. Options: {@code titles} (default 200000), {@code limit} (default 100),
 * {@code seed} (default 42).
 */
public final class WikiSearchWorkload implements Workload {
    private static final String[] SYLLABLES = {"al", "an", "ar", "ba", "be", "bo", "ca", "ce", "co", "da", "de", "di",
            "el", "en", "er", "fa", "fe", "ga", "ha", "he", "in", "is", "ka", "la", "le", "li", "lo", "ma", "me", "mi",
            "mo", "na", "ne", "no", "or", "pa", "pe", "ra", "re", "ri", "ro", "sa", "se", "ta", "te", "to", "va", "ze"};
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
        int count = (int) parameters.longValue("titles", 200_000, 1, 100_000_000);
        int limit = (int) parameters.longValue("limit", 100, 1, 1_000_000);
        long seed = parameters.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        parameters.checkAllUsed();
        Heap h = m.heap();
        ThreadContext t = m.thread();
        Definitions d = m.define();

        String[] titles = titles(count, new Random(seed));
        long module = d.module("wiki_app");
        long bisect = d.module("_bisect");
        d.nativeFunction(bisect, "bisect_left", NativeModules::bisectLeft);
        d.global(module, "bisect_left", h.newRef(h.dicts().getItem(h.modules().dict(bisect), h.strings().intern("bisect_left", t)), t));
        long titleList = h.lists().newList(titles.length, t);
        long offsetList = h.lists().newList(titles.length, t);
        long offset = 0;
        long[] offsets = new long[titles.length];
        for (int i = 0; i < titles.length; i++) {
            offsets[i] = offset;
            h.lists().appendTake(titleList, h.strings().newStr(titles[i], t), t);
            h.lists().appendTake(offsetList, h.numbers().newInt(offset, t), t);
            offset += titles[i].length() + 1024; // each article: its title and a body
        }
        d.global(module, "titles", titleList);
        d.global(module, "offsets", offsetList);
        d.global(module, "limit", h.numbers().newInt(limit, t));

        // Requests: prefixes of random titles, with their answers computed here, in Java.
        Random r = new Random(seed + 1);
        long[] prefixObjects = new long[PREFIXES];
        int[] expectedCount = new int[PREFIXES];
        long[] expectedFirst = new long[PREFIXES];
        long prefixList = h.lists().newList(PREFIXES, t);
        for (int p = 0; p < PREFIXES; p++) {
            String title = titles[r.nextInt(titles.length)];
            String prefix = title.substring(0, Math.min(title.length(), 1 + r.nextInt(4)));
            int first = lowerBound(titles, prefix);
            int end = first;
            while (end < titles.length && titles[end].startsWith(prefix) && end - first < limit) end++;
            expectedCount[p] = end - first;
            expectedFirst[p] = offsets[first];
            prefixObjects[p] = h.strings().newStr(prefix, t);
            h.lists().appendTake(prefixList, prefixObjects[p], t);
        }
        d.global(module, "_prefixes", prefixList); // keeps the request arguments alive

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
        return Service.of(handler, (w, index) -> w.heap().newRef(prefixObjects[(int) (index % PREFIXES)], w.thread()),
                (w, index, response) -> {
                    Heap heap = w.heap();
                    int p = (int) (index % PREFIXES);
                    if (heap.kindOf(response) != TypeKind.LIST || heap.lists().size(response) != expectedCount[p]) {
                        throw new WrongAnswer("wiki-search", index, "expected " + expectedCount[p] + " offsets for prefix '"
                                + heap.strings().toJava(prefixObjects[p]) + "'");
                    }
                    if (expectedCount[p] > 0 && heap.numbers().intValue(heap.lists().getItem(response, 0)) != expectedFirst[p]) {
                        throw new WrongAnswer("wiki-search", index, "first offset should be " + expectedFirst[p]);
                    }
                });
    }

    static String[] titles(int count, Random r) {
        TreeSet<String> set = new TreeSet<>();
        while (set.size() < count) {
            StringBuilder b = new StringBuilder();
            int syllables = 2 + r.nextInt(3);
            for (int i = 0; i < syllables; i++) b.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
            b.setCharAt(0, Character.toUpperCase(b.charAt(0)));
            b.append(' ').append(r.nextInt(1000));
            set.add(b.toString());
        }
        return set.toArray(String[]::new);
    }

    private static int lowerBound(String[] sorted, String key) {
        int i = Arrays.binarySearch(sorted, key);
        return i >= 0 ? i : -i - 1;
    }
}
