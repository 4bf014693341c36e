package org.pxlab.experiments.workload;

import java.util.Arrays;
import java.util.Random;

/**
 * The synthetic article titles of {@code wiki-search}, in sorted order, each computed from its
 * index on demand: nothing is stored per title, so 27 million of them (PyParallel's wiki
 * server) cost the JVM no more memory than 3,000, and any title, or the position of a prefix,
 * is found without building the others.
 *
 * <p><b>The space of titles.</b> A title is a word of two to four syllables from a sorted
 * 48-syllable alphabet, capitalised, a space and a number from 0 to 999
 * ({@code "Alalma 317"}). Listed in string order, the words are the pre-order walk of the
 * syllable tree (a word sorts before its extensions, since a space sorts before a letter), and
 * each word's numbers follow in the order of their decimal strings ({@code "0", "1", "10",
 * "100", ...}). So the rank of a title in that order (its <em>slot</em>) converts to its text
 * with a few divisions, and back.
 *
 * <p><b>The sample.</b> The titles of one initial syllable form a <em>region</em>; each region
 * receives a share of the titles drawn from the seed (weights from 1 to 4), so that prefixes
 * of the same shape match different numbers of titles, as real initials do. Within a region of
 * {@code n} titles, title {@code k} takes a slot chosen by a hash of its index within the
 * {@code k}-th of {@code n} equal runs of slots: the slots, hence the titles, increase strictly
 * with the index, and no two coincide.
 */
final class WikiTitles {
    static final String[] SYLLABLES = {"al", "an", "ar", "ba", "be", "bo", "ca", "ce", "co", "da", "de", "di",
            "el", "en", "er", "fa", "fe", "ga", "ha", "he", "in", "is", "ka", "la", "le", "li", "lo", "ma", "me", "mi",
            "mo", "na", "ne", "no", "or", "pa", "pe", "ra", "re", "ri", "ro", "sa", "se", "ta", "te", "to", "va", "ze"};
    private static final int S = SYLLABLES.length;
    private static final int NUMBERS = 1000;
    /** Words under a two-syllable word, itself included: it, 48 three-syllable words, each with 48 more. */
    private static final long WORDS_PER_PAIR = 1 + S * (1 + S);
    /** Slots of one region: every word of one initial syllable, each with its thousand numbers. */
    static final long SLOTS_PER_REGION = S * WORDS_PER_PAIR * NUMBERS;
    /** The most titles: far beyond what a 24 GiB machine holds, and small enough that {@code k * SLOTS_PER_REGION} stays in a long. */
    static final long MAX_COUNT = 1_000_000_000L;
    private static final String[] NUMBER_ORDER = numberOrder();

    private final long count;
    private final long seed;
    /** Index of the first title of each region, and {@code count} at the end. */
    private final long[] regionStart = new long[S + 1];

    /** The {@code count} titles of this seed. */
    WikiTitles(long count, long seed) {
        if (count < 1 || count > MAX_COUNT) throw new IllegalArgumentException("titles: 1 to " + MAX_COUNT + ", not " + count);
        this.count = count;
        this.seed = seed;
        Random r = new Random(seed);
        long[] weight = new long[S];
        long total = 0;
        for (int s = 0; s < S; s++) {
            weight[s] = 1000 + r.nextInt(3001);
            total += weight[s];
        }
        long given = 0;
        long[] share = new long[S];
        for (int s = 0; s < S; s++) {
            share[s] = count * weight[s] / total;   // at most 1e9 * 4000: no overflow
            given += share[s];
        }
        // The remainder of the rounding, at most one title per region, to the first regions.
        for (int s = 0; given < count; s++, given++) share[s]++;
        for (int s = 0; s < S; s++) regionStart[s + 1] = regionStart[s] + share[s];
    }

    long count() {
        return count;
    }

    /** Title {@code i}, 0 &lt;= i &lt; count; titles increase strictly with {@code i}. */
    String get(long i) {
        if (i < 0 || i >= count) throw new IndexOutOfBoundsException("title " + i + " of " + count);
        int region = Arrays.binarySearch(regionStart, i);
        // An exact hit may be an empty region's start shared with the next ones: take the last.
        if (region >= 0) while (regionStart[region + 1] == i) region++;
        else region = -region - 2;
        long k = i - regionStart[region];
        long n = regionStart[region + 1] - regionStart[region];
        long from = k * SLOTS_PER_REGION / n;
        long to = (k + 1) * SLOTS_PER_REGION / n;
        return text(region, from + Long.remainderUnsigned(mix(seed ^ i * 0x9E3779B97F4A7C15L), to - from));
    }

    /** The first index whose title is not less than {@code key} (count if none): bisect_left. */
    long lowerBound(String key) {
        long lo = 0, hi = count;
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            if (get(mid).compareTo(key) < 0) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    /** How many titles start with {@code prefix} (ASCII). */
    long countWithPrefix(String prefix) {
        // Every title starting with the prefix sorts below the prefix followed by the largest char.
        return lowerBound(prefix + Character.MAX_VALUE) - lowerBound(prefix);
    }

    /**
     * The prefix whose number of titles is closest to {@code hits} (the first such in title
     * order), among every initial syllable, every initial syllable with one more letter and
     * every two-syllable word, each capitalised. These cover the range from a few titles to a
     * fiftieth of them.
     */
    String prefixMatching(long hits) {
        String best = null;
        long bestDistance = Long.MAX_VALUE;
        for (String s1 : SYLLABLES) {
            String initial = Character.toUpperCase(s1.charAt(0)) + s1.substring(1);
            String previousLetter = "";
            for (String s2 : SYLLABLES) {
                String letter = initial + s2.charAt(0);
                for (String candidate : letter.equals(previousLetter) ? new String[] {initial + s2}
                        : new String[] {letter, initial + s2}) {
                    long distance = Math.abs(countWithPrefix(candidate) - hits);
                    if (distance < bestDistance) {
                        best = candidate;
                        bestDistance = distance;
                    }
                }
                previousLetter = letter;
            }
            long distance = Math.abs(countWithPrefix(initial) - hits);
            if (distance < bestDistance) {
                best = initial;
                bestDistance = distance;
            }
        }
        return best;
    }

    /** The title in slot {@code slot} of region {@code region}. */
    private static String text(int region, long slot) {
        long word = slot / NUMBERS;
        StringBuilder b = new StringBuilder(16);
        b.append(Character.toUpperCase(SYLLABLES[region].charAt(0))).append(SYLLABLES[region].charAt(1));
        b.append(SYLLABLES[(int) (word / WORDS_PER_PAIR)]);
        long rest = word % WORDS_PER_PAIR;
        if (rest > 0) {
            b.append(SYLLABLES[(int) ((rest - 1) / (S + 1))]);
            long fourth = (rest - 1) % (S + 1);
            if (fourth > 0) b.append(SYLLABLES[(int) (fourth - 1)]);
        }
        return b.append(' ').append(NUMBER_ORDER[(int) (slot % NUMBERS)]).toString();
    }

    /** 0 to 999 as decimal strings, in string order. */
    private static String[] numberOrder() {
        String[] n = new String[NUMBERS];
        for (int i = 0; i < NUMBERS; i++) n[i] = Integer.toString(i);
        Arrays.sort(n);
        return n;
    }

    /** SplitMix64's finaliser: a well-mixed 64-bit hash of a 64-bit value. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
