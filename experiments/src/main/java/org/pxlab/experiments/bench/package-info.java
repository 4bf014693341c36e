/**
 * JMH benchmarks, packaged into {@code experiments/target/benchmarks.jar} (main class
 * {@code org.openjdk.jmh.Main}). Run them with
 * {@code java --enable-native-access=ALL-UNNAMED -jar experiments/target/benchmarks.jar REGEX};
 * {@code -l} lists them, {@code -p name=value} overrides a {@code @Param}.
 *
 * <p>Benchmarks obtain components by name from the
 * {@link org.pxlab.runtime.config.ComponentRegistry}, exactly as configurations do, so they
 * measure the code a configuration would run.
 */
package org.pxlab.experiments.bench;
