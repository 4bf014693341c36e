package org.pxlab.stress.support;

/**
 * The hazards the stress suite looks for: the columns of the safety matrix. Each test names
 * the ones it can show with {@link Covers}; a configuration names the ones that cannot arise
 * in it in {@link org.pxlab.stress.check.ConfigurationClaims}.
 */
public enum Hazard {
    LOST_REFCOUNT_UPDATE("lost refcount update"),
    FREED_TWICE_OR_NEVER("freed twice or never"),
    OVERLAPPING_ALLOCATIONS("overlapping allocations"),
    CROSS_THREAD_FREE("cross-thread free"),
    REUSE_UNDER_OPTIMISTIC_READER("block reused under an optimistic reader"),
    UNDETECTED_PERSISTENCE("undetected persistence"),
    USE_AFTER_ROLLBACK("use after rollback"),
    MAIN_FREE_UNDER_PARALLEL_READER("main-side free under a parallel reader"),
    PROTECTED_OBJECT_UPDATE("concurrent updates to a protected object"),
    COLLECTION_RACING_MUTATORS("a collection racing mutators"),
    MUTUAL_EXCLUSION("mutual exclusion broken");

    private final String label;

    Hazard(String label) {
        this.label = label;
    }

    /** The words the matrix's header uses. */
    public String label() {
        return label;
    }

    /** The file-safe id ({@code lost-refcount-update}) used in stress.csv. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
