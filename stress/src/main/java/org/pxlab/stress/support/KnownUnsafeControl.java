package org.pxlab.stress.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a jcstress test as a known-unsafe control: it runs a component outside its safety
 * rule on purpose (a {@code plain} refcount with no lock, a {@code size-class-pool} shared by
 * two threads), and its {@code ACCEPTABLE_INTERESTING} outcomes are the hazard.
 *
 * <p><b>A control must fire.</b> If a run never observed a control's hazard, the run could not
 * have observed the same hazard in the tests that claim its absence either (too few samples,
 * actors that never overlapped, a JIT that serialised them), so
 * {@link org.pxlab.stress.check.StressSuite} reports the whole run invalid. DESIGN.md
 * section 6: "Known-unsafe controls must show their hazard, or the run is reported invalid."
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface KnownUnsafeControl {
    /** The hazard the control shows, in a few words ("lost refcount update"). */
    String hazard();
}
