package org.pxlab.gc;

import java.util.Arrays;

/**
 * The blocks one allocator walk found, keyed by address, with a few bits and a
 * {@code gc_refs} per block: the stop-the-world collector's scratch area for one collection.
 * CPython 3.13t keeps {@code gc_refs} in the object's {@code ob_tid} and its marks in
 * {@code ob_gc_bits}; pxlab's headers may have no {@code ob_tid}, and a block found by the walk
 * may not be an object at all, so both live here, beside the heap.
 *
 * <p>Open addressing with linear probing over primitive arrays (no Java object per block),
 * kept and reused from one collection to the next and grown only when a walk finds more
 * blocks than it has room for. Address 0 marks a free slot (no allocator returns 0). Not
 * thread safe: one collection at a time uses it.
 */
final class BlockTable {
    private static final int MIN_CAPACITY = 1 << 10;

    private long[] addresses = new long[MIN_CAPACITY];
    private long[] sizes = new long[MIN_CAPACITY];
    private long[] refs = new long[MIN_CAPACITY];
    private byte[] bits = new byte[MIN_CAPACITY];
    private int mask = MIN_CAPACITY - 1;
    private int count;

    /** Empties the table. */
    void clear() {
        Arrays.fill(addresses, 0L);
        Arrays.fill(bits, (byte) 0); // free slots must carry no bits: the collector scans bits alone
        count = 0;
    }

    /** Adds a block (each address once per walk); its bits and gc_refs start at 0. */
    void add(long address, long size) {
        if (address == 0) throw new IllegalArgumentException("block at address 0");
        if (2 * (count + 1) > addresses.length) grow();
        int i = insert(address);
        sizes[i] = size;
        refs[i] = 0;
        bits[i] = 0;
        count++;
    }

    /** The slot holding {@code address}, or -1 if the walk did not find a block there. */
    int find(long address) {
        if (address == 0) return -1;
        int i = hash(address) & mask;
        long a;
        while ((a = addresses[i]) != 0) {
            if (a == address) return i;
            i = (i + 1) & mask;
        }
        return -1;
    }

    /** Number of slots; slots whose {@link #address} is 0 are free. */
    int capacity() {
        return addresses.length;
    }

    /** Blocks in the table. */
    int size() {
        return count;
    }

    long address(int slot) {
        return addresses[slot];
    }

    long size(int slot) {
        return sizes[slot];
    }

    boolean has(int slot, int bit) {
        return (bits[slot] & bit) != 0;
    }

    void set(int slot, int bit) {
        bits[slot] |= (byte) bit;
    }

    void unset(int slot, int bit) {
        bits[slot] &= (byte) ~bit;
    }

    long refs(int slot) {
        return refs[slot];
    }

    void setRefs(int slot, long value) {
        refs[slot] = value;
    }

    void decrementRefs(int slot) {
        refs[slot]--;
    }

    private int insert(long address) {
        int i = hash(address) & mask;
        while (addresses[i] != 0) {
            if (addresses[i] == address) throw new IllegalStateException("block 0x" + Long.toHexString(address) + " walked twice");
            i = (i + 1) & mask;
        }
        addresses[i] = address;
        return i;
    }

    private void grow() {
        long[] oldAddresses = addresses, oldSizes = sizes, oldRefs = refs;
        byte[] oldBits = bits;
        int n = oldAddresses.length * 2;
        addresses = new long[n];
        sizes = new long[n];
        refs = new long[n];
        bits = new byte[n];
        mask = n - 1;
        for (int j = 0; j < oldAddresses.length; j++) {
            if (oldAddresses[j] == 0) continue;
            int i = insert(oldAddresses[j]);
            sizes[i] = oldSizes[j];
            refs[i] = oldRefs[j];
            bits[i] = oldBits[j];
        }
    }

    /** Blocks are 16-byte aligned: drop the zero bits, then mix (Murmur3's finalizer). */
    private static int hash(long address) {
        long h = address >>> 4;
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return (int) h;
    }
}
