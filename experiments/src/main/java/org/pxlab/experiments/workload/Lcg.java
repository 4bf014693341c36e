package org.pxlab.experiments.workload;

import org.pxlab.runtime.exec.Mutator;

/**
 * The random numbers of the allocator workloads: ANSI C's {@code rand} generator,
 * {@code seed = (seed * 1103515245 + 12345) % 2**31}, written in the handlers' Python and
 * mirrored here in Java to check their answers. Every value fits in 64 bits.
 */
final class Lcg {
    static final long MULTIPLIER = 1103515245L, INCREMENT = 12345L, MODULUS = 1L << 31;

    private Lcg() {}

    /** The next seed. */
    static long next(long seed) {
        return (seed * MULTIPLIER + INCREMENT) % MODULUS;
    }

    /** The first seed of request {@code index}: {@code request % 2**31}. */
    static long start(long index) {
        return Math.floorMod(index, MODULUS);
    }

    /**
     * Emits {@code seed = (seed * 1103515245 + 12345) % 2147483648} into a handler body, for a
     * seed in local {@code seed} and the three constants at {@code consts, consts+1, consts+2}.
     * (A method, not a {@code CodeBody} factory: a body runs per request and must not
     * allocate.)
     */
    static void step(Mutator b, int seed, int consts) {
        b.loadFast(seed);
        b.loadConst(consts);
        b.binaryMultiplyInt();
        b.loadConst(consts + 1);
        b.binaryAddInt();
        b.loadConst(consts + 2);
        b.binaryOp(Mutator.BinaryOp.REMAINDER);
        b.storeFast(seed);
    }
}
