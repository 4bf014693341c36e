package org.pxlab.experiments.projection;

import java.util.Arrays;

/**
 * An open-addressing table from non-zero {@code long} keys (addresses, line numbers) to an
 * {@code int} and a {@code long}, for the counting run's per-line, per-block and per-lock
 * state: millions of lookups, so no boxing. Never shrinks; a key is overwritten in place.
 * Not thread safe (a counting run is one Java thread).
 */
final class AddressTable {
    private long[] keys;
    private int[] ints;
    private long[] longs;
    private int size;
    private int mask;

    AddressTable() {
        allocate(1 << 12);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        ints = new int[capacity];
        longs = new long[capacity];
        mask = capacity - 1;
        size = 0;
    }

    /** The slot of {@code key}, or {@code -1}. */
    int find(long key) {
        for (int i = spread(key) & mask; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return i;
            if (k == 0) return -1;
        }
    }

    /** The slot of {@code key}, inserted with {@code (0, 0)} if absent; slots move when the table grows. */
    int slot(long key) {
        if (key == 0) throw new IllegalArgumentException("key 0 is reserved for empty slots");
        int i = spread(key) & mask;
        for (; ; i = (i + 1) & mask) {
            long k = keys[i];
            if (k == key) return i;
            if (k == 0) break;
        }
        if ((size + 1) * 2 > keys.length) {
            grow();
            return slot(key);
        }
        keys[i] = key;
        size++;
        return i;
    }

    /** Whether {@code key} is present. */
    boolean contains(long key) {
        return find(key) >= 0;
    }

    int intAt(int slot) { return ints[slot]; }
    long longAt(int slot) { return longs[slot]; }
    void setInt(int slot, int value) { ints[slot] = value; }
    void setLong(int slot, long value) { longs[slot] = value; }

    /** The int stored for {@code key}, or {@code absent}. */
    int intOf(long key, int absent) {
        int s = find(key);
        return s < 0 ? absent : ints[s];
    }

    /** Sets every key's long to 0 (keeps keys and ints). */
    void clearLongs() {
        Arrays.fill(longs, 0);
    }

    /** The largest long stored. */
    long maxLong() {
        long max = 0;
        for (int i = 0; i < keys.length; i++) if (keys[i] != 0 && longs[i] > max) max = longs[i];
        return max;
    }

    int size() {
        return size;
    }

    private void grow() {
        long[] k = keys;
        int[] in = ints;
        long[] lo = longs;
        allocate(k.length * 2);
        for (int i = 0; i < k.length; i++) {
            if (k[i] == 0) continue;
            int s = slot(k[i]);
            ints[s] = in[i];
            longs[s] = lo[i];
        }
    }

    private static int spread(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
