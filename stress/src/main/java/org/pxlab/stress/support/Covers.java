package org.pxlab.stress.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What a jcstress test's outcome speaks for: the hazards it can show and the built-in
 * configurations whose cell in the safety matrix it fills. This is the one place the mapping
 * test -> configurations/hazards is declared; {@code pxlab stress} renders the matrix from it
 * and stress/README.md's test table is checked against it ({@code SuiteTestsTest}).
 *
 * <p>A test of a component on its own names the configurations that compose that component
 * in the setting the test races it in ({@code interlocked} with no lock: {@code fine-grained},
 * {@code fine-grained-global}); a test of a setting no configuration uses ({@code malloc}, a
 * {@link KnownUnsafeControl control}) names none, and appears in the matrix under its
 * {@link #setup()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Covers {
    /** The hazards whose forbidden (or, for a control, interesting) outcomes this test reports. */
    Hazard[] hazards();

    /** Built-in configurations whose cells this test fills; none for a control or a component no configuration uses. */
    String[] configurations() default {};

    /** The components and setting raced, in a few words ({@code "`plain` refcounts, no lock"}). */
    String setup();
}
