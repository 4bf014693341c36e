package org.pxlab.experiments.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The generator behind {@code wiki-search}: its random access, its order and its prefix
 * arithmetic checked against plain Java over the titles it lists, at small sizes; at
 * PyParallel's 27 million only what costs no build (order at sampled indices, the choice of a
 * ~16,000-hit prefix).
 */
class WikiTitlesTest {
    private static List<String> all(WikiTitles t) {
        List<String> l = new ArrayList<>();
        for (long i = 0; i < t.count(); i++) l.add(t.get(i));
        return l;
    }

    private static long plainCount(List<String> titles, String prefix) {
        return titles.stream().filter(s -> s.startsWith(prefix)).count();
    }

    @ParameterizedTest(name = "{0} titles, seed {1}")
    @CsvSource({"1,42", "47,42", "20000,42", "20000,7", "3000,-1"})
    void listsExactlyCountDistinctTitlesInStrictlyIncreasingOrder(long count, long seed) {
        List<String> titles = all(new WikiTitles(count, seed));
        assertThat(titles).hasSize((int) count);
        for (int i = 1; i < titles.size(); i++) {
            assertThat(titles.get(i - 1)).as("title %d before %d", i - 1, i).isLessThan(titles.get(i));
        }
        assertThat(titles).allMatch(s -> s.matches("[A-Z][a-z]{3,7} (0|[1-9][0-9]{0,2})"));
        assertThat(all(new WikiTitles(count, seed))).as("the same seed, the same titles").isEqualTo(titles);
    }

    @Test
    void prefixCountsAndLowerBoundsAgreeWithAPlainScan() {
        WikiTitles t = new WikiTitles(20_000, 42);
        List<String> titles = all(t);
        TreeSet<String> prefixes = new TreeSet<>(List.of("", "A", "Al", "Alb", "Ze", "Zz", "Zeze", "B", "0", "~"));
        Random r = new Random(3);
        for (int k = 0; k < 300; k++) {
            String s = titles.get(r.nextInt(titles.size()));
            prefixes.add(s.substring(0, 1 + r.nextInt(s.length())));
        }
        for (String p : prefixes) {
            assertThat(t.countWithPrefix(p)).as("titles starting with '%s'", p).isEqualTo(plainCount(titles, p));
            long lower = LongStream.range(0, titles.size()).filter(i -> titles.get((int) i).compareTo(p) >= 0)
                    .findFirst().orElse(titles.size());
            assertThat(t.lowerBound(p)).as("bisect_left('%s')", p).isEqualTo(lower);
        }
    }

    @Test
    void theChosenPrefixIsTheClosestOfItsCandidatesByAPlainScan() {
        WikiTitles t = new WikiTitles(50_000, 42);
        List<String> titles = all(t);
        long target = 300;
        String chosen = t.prefixMatching(target);
        long chosenHits = plainCount(titles, chosen);
        for (String s1 : WikiTitles.SYLLABLES) {
            String initial = Character.toUpperCase(s1.charAt(0)) + s1.substring(1);
            assertThat(Math.abs(chosenHits - target)).isLessThanOrEqualTo(Math.abs(plainCount(titles, initial) - target));
            for (String s2 : WikiTitles.SYLLABLES) {
                for (String candidate : List.of(initial + s2.charAt(0), initial + s2)) {
                    assertThat(Math.abs(chosenHits - target)).as("'%s' (%d hits) against '%s'", chosen, chosenHits, candidate)
                            .isLessThanOrEqualTo(Math.abs(plainCount(titles, candidate) - target));
                }
            }
        }
    }

    /** PyParallel's scale: no title is built but those probed, so this is cheap. */
    @Test
    void atTwentySevenMillionTitlesTheOrderHoldsAndAPrefixMatchesAbout16333() {
        WikiTitles t = new WikiTitles(27_000_000, 42);
        Random r = new Random(5);
        for (int k = 0; k < 20_000; k++) {
            long i = r.nextLong(t.count() - 1);
            assertThat(t.get(i)).isLessThan(t.get(i + 1));
        }
        assertThat(t.get(t.count() - 1)).startsWith("Ze");
        String prefix = t.prefixMatching(16_333);
        assertThat(t.countWithPrefix(prefix)).as("hits of '%s'", prefix).isBetween(15_000L, 17_700L);
    }
}
