package org.pxlab.runtime.spi;

/** The kinds of pluggable component, each with the SPI type its instances implement. */
public enum ComponentKind {
    ALLOCATOR("allocator", Allocator.class),
    REFCOUNT("refcount", RefCountStrategy.class),
    SYNC("sync", SyncDiscipline.class),
    COLLECTOR("collector", Collector.class);

    private final String label;
    private final Class<?> type;

    ComponentKind(String label, Class<?> type) {
        this.label = label;
        this.type = type;
    }

    /** The word users type for this kind, in suite files and on the command line. */
    public String label() {
        return label;
    }

    /** The SPI interface a component of this kind implements. */
    public Class<?> type() {
        return type;
    }
}
