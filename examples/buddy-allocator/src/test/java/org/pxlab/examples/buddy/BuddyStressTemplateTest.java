package org.pxlab.examples.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pxlab.stress.template.TemplateRun;

/**
 * The stress template over {@code buddy}: jcstress races cross-thread frees against
 * allocations with no lock but the allocator's own, and no two live blocks may overlap.
 * (The template is shown to reject a broken allocator in pxlab-stress's own tests.)
 */
class BuddyStressTemplateTest {
    @Test
    void buddyPassesTheAllocatorTemplate(@TempDir Path work) throws Exception {
        TemplateRun.Result r = TemplateRun.allocator(BuddyAllocatorProvider.NAME, work);
        assertThat(r.passed()).as(r.console()).isTrue();
        assertThat(r.console()).contains("1 of 1 selected tests ran").contains("[disjoint]");
    }
}
