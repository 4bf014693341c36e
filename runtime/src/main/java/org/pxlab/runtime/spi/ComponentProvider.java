package org.pxlab.runtime.spi;

/**
 * Makes one named component available to pxlab. Registered through
 * {@link java.util.ServiceLoader} under {@code META-INF/services/org.pxlab.runtime.spi.ComponentProvider},
 * so a jar on the class path adds components without editing pxlab.
 *
 * <p>Names are what users type (lower case, words joined by {@code -}); they must be unique
 * within a kind. {@link #create} is called once per assembled configuration and must return
 * a fresh instance that has not yet taken any simulated memory.
 */
public interface ComponentProvider {

    /** Which SPI the created instances implement. */
    ComponentKind kind();

    /** The name users type, e.g. {@code size-class-pool}. */
    String name();

    /** One line saying what the component models and after which system, for {@code pxlab list}. */
    String description();

    /**
     * Creates a fresh instance.
     *
     * @param parameters options from the configuration; the provider rejects unknown or
     *                   malformed ones with {@link ComponentParameters#unknown} and friends
     * @return an instance of {@code kind().type()}
     */
    Object create(ComponentParameters parameters);
}
