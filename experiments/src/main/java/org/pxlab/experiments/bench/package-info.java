/**
 * JMH benchmarks, packaged into {@code experiments/target/benchmarks.jar} (main class
 * {@code org.openjdk.jmh.Main}). Run them with
 * {@code java --enable-native-access=ALL-UNNAMED -jar experiments/target/benchmarks.jar REGEX};
 * {@code -l} lists them, {@code -p name=value} overrides a {@code @Param}. Adding
 * {@code --sun-misc-unsafe-memory-access=allow} silences JMH 1.37's {@code sun.misc.Unsafe}
 * warning on JDK 24+; the forked JVMs inherit it.
 *
 * <p>Benchmarks obtain components by name from the
 * {@link org.pxlab.runtime.config.ComponentRegistry}, exactly as configurations do, so they
 * measure the code a configuration would run.
 */
package org.pxlab.experiments.bench;
