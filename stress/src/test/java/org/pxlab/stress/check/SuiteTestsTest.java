package org.pxlab.stress.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.infra.runners.TestList;
import org.pxlab.stress.allocator.LockedGlobalNoOverlap;
import org.pxlab.stress.allocator.MallocSharedNoOverlap;
import org.pxlab.stress.allocator.SizeClassPoolUnlockedControl;
import org.pxlab.stress.allocator.ThreadShardedImmediateFreeControl;
import org.pxlab.stress.allocator.ThreadShardedNoOverlap;
import org.pxlab.stress.allocator.ThreadShardedReuseAfterQsbr;
import org.pxlab.stress.config.FineGrainedGlobalListAppends;
import org.pxlab.stress.config.FineGrainedListAppends;
import org.pxlab.stress.gc.CycleCollectionUnderGil;
import org.pxlab.stress.gc.FreeThreadedCollectionRace;
import org.pxlab.stress.gc.StopTheWorldCollectionRace;
import org.pxlab.stress.refcount.BiasedLastReference;
import org.pxlab.stress.refcount.BiasedRefCountShared;
import org.pxlab.stress.refcount.InterlockedLastReference;
import org.pxlab.stress.refcount.InterlockedRefCountShared;
import org.pxlab.stress.refcount.PlainRefCountUnderGil;
import org.pxlab.stress.refcount.PlainRefCountUnlockedControl;
import org.pxlab.stress.split.CompleteGuardRefusesPersistence;
import org.pxlab.stress.split.FaithfulGuardDanglingControl;
import org.pxlab.stress.split.ProtectedRemovalUnderParallelReader;
import org.pxlab.stress.split.ProtectedStoresFromTwoContexts;
import org.pxlab.stress.split.UnprotectedRemovalControl;
import org.pxlab.runtime.config.ComponentRegistry;
import org.pxlab.runtime.config.ConfigurationDeclaration;
import org.pxlab.stress.support.Covers;
import org.pxlab.stress.support.KnownUnsafeControl;
import org.pxlab.stress.sync.GilMutualExclusion;
import org.pxlab.stress.sync.PerObjectLocksMutualExclusion;
import org.pxlab.stress.template.AllocatorTemplateNoOverlap;
import org.pxlab.stress.template.RefCountTemplateIncrements;
import org.pxlab.stress.template.RefCountTemplateLastReference;

/**
 * Checks on the suite itself, without jcstress running it: what the processor listed, the
 * actor count rule, and each test run once sequentially (actor1, actor2, arbiter), whose
 * outcome must be one the test declares ACCEPTABLE (for a known-unsafe control, ACCEPTABLE or
 * ACCEPTABLE_INTERESTING: a deterministic hazard shows sequentially too), so an outcome id with
 * a typo shows here rather than as a forbidden "unmatched" result in a run.
 */
class SuiteTestsTest {
    static final List<Class<?>> TESTS = List.of(GilMutualExclusion.class, PlainRefCountUnderGil.class,
            PlainRefCountUnlockedControl.class, SizeClassPoolUnlockedControl.class, MallocSharedNoOverlap.class,
            InterlockedRefCountShared.class, InterlockedLastReference.class, PerObjectLocksMutualExclusion.class,
            ThreadShardedNoOverlap.class, LockedGlobalNoOverlap.class, ThreadShardedReuseAfterQsbr.class,
            ThreadShardedImmediateFreeControl.class, CompleteGuardRefusesPersistence.class, FaithfulGuardDanglingControl.class,
            ProtectedRemovalUnderParallelReader.class, UnprotectedRemovalControl.class, BiasedLastReference.class,
            BiasedRefCountShared.class, StopTheWorldCollectionRace.class, AllocatorTemplateNoOverlap.class,
            RefCountTemplateIncrements.class, RefCountTemplateLastReference.class, CycleCollectionUnderGil.class,
            FineGrainedListAppends.class, FineGrainedGlobalListAppends.class, ProtectedStoresFromTwoContexts.class, FreeThreadedCollectionRace.class);

    @Test
    void theProcessorListedEveryTest() {
        assertThat(TestList.tests()).containsExactlyInAnyOrderElementsOf(TESTS.stream().map(Class::getName).toList());
    }

    @Test
    void everyTestHasAtMostTwoActors() {
        // jcstress on 2 CPUs skips tests with more ("No scheduling is possible").
        for (String t : TestList.tests()) assertThat(TestList.getInfo(t).threads()).as(t).isLessThanOrEqualTo(2);
    }

    @Test
    void theControlsAreMarked() {
        assertThat(StressSuite.controlOf(PlainRefCountUnlockedControl.class.getName())).isEqualTo("lost refcount update");
        assertThat(StressSuite.controlOf(SizeClassPoolUnlockedControl.class.getName())).isNotBlank();
        assertThat(StressSuite.controlOf(GilMutualExclusion.class.getName())).isNull();
        assertThat(StressSuite.controlOf(ThreadShardedImmediateFreeControl.class.getName())).isNotBlank();
        assertThat(StressSuite.controlOf(ThreadShardedReuseAfterQsbr.class.getName())).isNull();
        assertThat(TESTS.stream().filter(c -> c.isAnnotationPresent(KnownUnsafeControl.class))).hasSize(5);
    }

    @Test
    void everyTestDeclaresWhatItCoversAndNamesRealConfigurations() {
        List<String> known = ComponentRegistry.load().configurations().stream().map(ConfigurationDeclaration::name).toList();
        for (Class<?> t : TESTS) {
            Covers c = t.getAnnotation(Covers.class);
            assertThat(c).as("%s has @Covers", t.getSimpleName()).isNotNull();
            assertThat(c.hazards()).as(t.getSimpleName()).isNotEmpty();
            assertThat(known).as("%s's configurations", t.getSimpleName()).containsAll(List.of(c.configurations()));
            // A control runs a component outside its rule: it speaks for no configuration's safety.
            if (t.isAnnotationPresent(KnownUnsafeControl.class)) assertThat(c.configurations()).as(t.getSimpleName()).isEmpty();
        }
        for (ConfigurationClaims claims : ConfigurationClaims.BUILT_IN) assertThat(known).contains(claims.configuration());
    }

    /** stress/README.md's coverage table is CoverageTable's rendering of the mapping, between its two markers. */
    @Test
    void theReadmeCoverageTableIsTheMapping() throws Exception {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        String begin = "<!-- coverage: begin (CoverageTable; regenerate with its main) -->\n";
        String end = "<!-- coverage: end -->";
        assertThat(readme).contains(begin).contains(end);
        String block = readme.substring(readme.indexOf(begin) + begin.length(), readme.indexOf(end));
        assertThat(block).as("stress/README.md coverage table; regenerate it with"
                + " `java -cp stress/target/jcstress.jar org.pxlab.stress.check.CoverageTable`")
                .isEqualTo(CoverageTable.render(TestList.tests()));
    }

    static Stream<Class<?>> tests() {
        return TESTS.stream();
    }

    @ParameterizedTest
    @MethodSource("tests")
    void aSequentialRunGivesAnAcceptableOutcome(Class<?> test) throws Exception {
        for (int sample = 0; sample < 100; sample++) {
            Object state = test.getConstructor().newInstance();
            Method arbiter = Arrays.stream(test.getMethods()).filter(m -> m.isAnnotationPresent(Arbiter.class)).findFirst().orElseThrow();
            Object result = arbiter.getParameterTypes()[0].getConstructor().newInstance();
            for (String name : List.of("actor1", "actor2")) {
                Method actor = Arrays.stream(test.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
                assertThat(actor.isAnnotationPresent(Actor.class)).isTrue();
                if (actor.getParameterCount() == 0) actor.invoke(state);
                else actor.invoke(state, result);
            }
            arbiter.invoke(state, result);
            String id = result.toString();
            Outcome declared = Arrays.stream(test.getAnnotationsByType(Outcome.class))
                    .filter(o -> Arrays.asList(o.id()).contains(id)).findFirst().orElse(null);
            assertThat(declared).as("%s: outcome [%s] is declared", test.getSimpleName(), id).isNotNull();
            // A control whose hazard is deterministic (FaithfulGuardDanglingControl) shows it even run sequentially.
            Expect[] allowed = test.isAnnotationPresent(KnownUnsafeControl.class)
                    ? new Expect[] {Expect.ACCEPTABLE, Expect.ACCEPTABLE_INTERESTING} : new Expect[] {Expect.ACCEPTABLE};
            assertThat(declared.expect()).as("%s: outcome [%s]", test.getSimpleName(), id).isIn((Object[]) allowed);
        }
    }
}
