package org.pxlab.allocator;

import org.pxlab.runtime.spi.BlockVisitor;

/**
 * The live large blocks of an allocator: an open-addressing map from address to requested
 * size, kept on the Java side because the C library offers no way to enumerate its blocks.
 *
 * <p>Linear probing over two parallel {@code long} arrays, with {@code 0} (never a block
 * address) marking an empty slot, so {@link #put} and {@link #remove} allocate nothing until
 * the table grows; it doubles at half load, which keeps probe runs short and amortises the
 * copy. Removal shifts the following entries of the run back (Knuth's Algorithm R) instead of
 * leaving tombstones, so a long run of allocate/free never degrades lookups.
 *
 * <p>Not thread safe: it belongs to one serialised allocator.
 */
final class LargeBlockTable {
    private static final int INITIAL_CAPACITY = 16;

    private long[] addresses;
    private long[] sizes;
    private int mask;
    /** 64 minus log2(capacity): Fibonacci hashing takes the top bits of the product. */
    private int shift;
    private int count;
    private long bytes;

    LargeBlockTable() {
        allocateSlots(INITIAL_CAPACITY);
    }

    private void allocateSlots(int capacity) {
        addresses = new long[capacity];
        sizes = new long[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    /** Block addresses are 16-byte aligned, so their low bits carry nothing: mix before masking. */
    private int home(long address) {
        return (int) ((address * 0x9E37_79B9_7F4A_7C15L) >>> shift);
    }

    /** Records a block; the address must not be present. */
    void put(long address, long size) {
        assert address != 0;
        if (2 * (count + 1) > addresses.length) grow();
        int i = home(address);
        while (addresses[i] != 0) {
            assert addresses[i] != address : "large block 0x" + Long.toHexString(address) + " recorded twice";
            i = (i + 1) & mask;
        }
        addresses[i] = address;
        sizes[i] = size;
        count++;
        bytes += size;
    }

    /** Forgets a block and returns its size, or {@code -1} if it is not recorded. */
    long remove(long address) {
        int i = home(address);
        while (true) {
            long a = addresses[i];
            if (a == 0) return -1;
            if (a == address) break;
            i = (i + 1) & mask;
        }
        long size = sizes[i];
        int hole = i;
        for (int j = (i + 1) & mask; addresses[j] != 0; j = (j + 1) & mask) {
            // An entry may fill the hole only if the hole lies on its probe path, i.e.
            // cyclically between its home slot and where it sits now.
            int h = home(addresses[j]);
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                addresses[hole] = addresses[j];
                sizes[hole] = sizes[j];
                hole = j;
            }
        }
        addresses[hole] = 0;
        count--;
        bytes -= size;
        return size;
    }

    /** Size of a recorded block, or {@code -1}. */
    long sizeOf(long address) {
        for (int i = home(address); addresses[i] != 0; i = (i + 1) & mask) {
            if (addresses[i] == address) return sizes[i];
        }
        return -1;
    }

    /** Number of recorded blocks. */
    int count() {
        return count;
    }

    /** Sum of the recorded sizes. */
    long bytes() {
        return bytes;
    }

    /** Visits every recorded block once, in no particular order. */
    void forEach(BlockVisitor visitor) {
        for (int i = 0; i < addresses.length; i++) {
            if (addresses[i] != 0) visitor.visit(addresses[i], sizes[i]);
        }
    }

    /** Forgets every block and shrinks back to the initial capacity. */
    void clear() {
        allocateSlots(INITIAL_CAPACITY);
        count = 0;
        bytes = 0;
    }

    private void grow() {
        long[] oldAddresses = addresses;
        long[] oldSizes = sizes;
        allocateSlots(oldAddresses.length * 2);
        for (int k = 0; k < oldAddresses.length; k++) {
            long a = oldAddresses[k];
            if (a == 0) continue;
            int i = home(a);
            while (addresses[i] != 0) i = (i + 1) & mask;
            addresses[i] = a;
            sizes[i] = oldSizes[k];
        }
    }
}
