package org.pxlab.stress.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stress template can fail: over the contract kits' deliberately broken components it
 * reports their defect as a forbidden outcome and the run fails; over a correct component of
 * the same kind, picked the same way, it passes. Each run is a jcstress sanity run of its own
 * (a few seconds per test and JVM configuration).
 */
class StressTemplateRejectsBrokenComponentsTest {

    @Test
    void rejectsTheAllocatorThatHandsOutOverlappingBlocks(@TempDir Path work) throws Exception {
        TemplateRun.Result r = TemplateRun.allocator(BrokenComponentProviders.OVERLAPPING, work);
        assertThat(r.passed()).as(r.console()).isFalse();
        assertThat(r.status()).as(r.console()).isEqualTo(1);
        assertThat(r.console()).contains("AllocatorTemplateNoOverlap: forbidden outcome [overlap]")
                .contains("1 of 1 selected tests ran");
    }

    @Test
    void rejectsThePlainRefCountThatClaimsToBeThreadSafe(@TempDir Path work) throws Exception {
        TemplateRun.Result r = TemplateRun.refcount(BrokenComponentProviders.PLAIN_POSING_AS_ATOMIC, work);
        assertThat(r.status()).as(r.console()).isEqualTo(1);
        assertThat(r.console()).contains("RefCountTemplateIncrements: forbidden outcome [2]")
                .contains("2 of 2 selected tests ran");
    }

    @Test
    void passesACorrectComponentPickedTheSameWay(@TempDir Path work) throws Exception {
        // plain is not thread safe: the template races it under the GIL, as a configuration must use it.
        // (A correct allocator passing: examples/buddy-allocator's BuddyStressTemplateTest.)
        TemplateRun.Result refcount = TemplateRun.refcount("plain", work);
        assertThat(refcount.passed()).as(refcount.console()).isTrue();
        assertThat(refcount.console()).contains("2 of 2 selected tests ran");
    }
}
