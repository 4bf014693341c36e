/**
 * Test helpers shared with other modules' tests through the runtime's test jar.
 *
 * <p>The <b>contract kits</b> hold the tests every implementation of an SPI must pass:
 * {@link org.pxlab.runtime.testkit.AllocatorContract} for allocators and
 * {@link org.pxlab.runtime.testkit.RefCountContract} for refcount strategies. A component's
 * module runs them with a one-method subclass; the kits' Javadoc says how.
 * {@link org.pxlab.runtime.testkit.ContractKitsRejectBrokenImplementationsTest} proves that the
 * kits fail deliberately broken components ({@code OverlappingAllocator},
 * {@code PlainPosingAsAtomicRefCount}) for the right reasons.
 *
 * <p>Stand-ins: {@link org.pxlab.runtime.testkit.TestComponents} for the registry's checks,
 * {@link org.pxlab.runtime.testkit.NoOpSync} and {@link org.pxlab.runtime.testkit.NoOpCollector}
 * to assemble a heap, {@link org.pxlab.runtime.testkit.CheckedMallocAllocator} where the
 * runtime's own tests need a real allocator.
 *
 * <p>Scenarios and helpers for other modules' integration tests:
 * {@link org.pxlab.runtime.testkit.ParkedWaiterCollection} (a stop-the-world collection with one
 * mutator running and one parked on a lock, run on a test configuration and on the built-ins),
 * {@link org.pxlab.runtime.testkit.Declarations} (a built-in declaration with one option
 * changed), {@link org.pxlab.runtime.testkit.TestThreads} (bounded waits for blocking code).
 */
package org.pxlab.runtime.testkit;
