package org.pxlab.experiments.run;

/**
 * One row of footprint.csv for the measurement that produced it.
 *
 * @param space  a space's name, or {@code total}
 * @param metric {@code header_bytes}, {@code reserved_bytes}, {@code in_use_bytes}, {@code peak_bytes},
 *               {@code arena_high_water_per_request_bytes} or {@code jvm_bytes}
 * @param value  bytes
 */
public record FootprintRow(String space, String metric, long value) {}
