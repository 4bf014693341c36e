package org.pxlab.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LargeBlockTableTest {

    private static Map<Long, Long> contents(LargeBlockTable table) {
        Map<Long, Long> seen = new HashMap<>();
        table.forEach((address, size) -> assertThat(seen.put(address, size)).as("0x%x twice", address).isNull());
        return seen;
    }

    @Test
    void agreesWithAHashMapUnderRandomPutAndRemove() {
        LargeBlockTable table = new LargeBlockTable();
        Map<Long, Long> expected = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        Random random = new Random(3);
        long bytes = 0;
        for (int step = 0; step < 200_000; step++) {
            boolean put = keys.isEmpty() || random.nextInt(100) < ((step / 20_000) % 2 == 0 ? 65 : 35);
            if (put) {
                // Dense, 16-byte-aligned addresses, as malloc returns: the hash must spread them.
                long address = 0x7f00_0000_0000L + 16L * random.nextInt(1 << 20);
                if (expected.containsKey(address)) continue;
                long size = 513 + random.nextInt(100_000);
                table.put(address, size);
                expected.put(address, size);
                keys.add(address);
                bytes += size;
            } else {
                int i = random.nextInt(keys.size());
                long address = keys.get(i);
                keys.set(i, keys.get(keys.size() - 1));
                keys.remove(keys.size() - 1);
                long size = expected.remove(address);
                assertThat(table.remove(address)).isEqualTo(size);
                assertThat(table.sizeOf(address)).isEqualTo(-1);
                bytes -= size;
            }
            if (step % 10_000 == 0) {
                assertThat(contents(table)).isEqualTo(expected);
                for (long k : keys) assertThat(table.sizeOf(k)).isEqualTo(expected.get(k));
            }
            assertThat(table.count()).isEqualTo(expected.size());
            assertThat(table.bytes()).isEqualTo(bytes);
        }
        assertThat(contents(table)).isEqualTo(expected);
    }

    @Test
    void removingFromTheMiddleOfACollidingRunKeepsTheRestFindable() {
        LargeBlockTable table = new LargeBlockTable();
        // Twelve keys in a 16- then 32-slot table collide often; remove each in turn from a
        // fresh table and check every other key is still found.
        long[] addresses = new long[12];
        for (int i = 0; i < addresses.length; i++) addresses[i] = 0x1000L * (i + 1);
        for (int victim = 0; victim < addresses.length; victim++) {
            table.clear();
            for (long a : addresses) table.put(a, a / 16);
            assertThat(table.remove(addresses[victim])).isEqualTo(addresses[victim] / 16);
            for (int i = 0; i < addresses.length; i++) {
                assertThat(table.sizeOf(addresses[i])).isEqualTo(i == victim ? -1 : addresses[i] / 16);
            }
            assertThat(table.count()).isEqualTo(addresses.length - 1);
        }
    }

    @Test
    void removingAnAbsentAddressChangesNothing() {
        LargeBlockTable table = new LargeBlockTable();
        table.put(0x1000, 600);
        assertThat(table.remove(0x2000)).isEqualTo(-1);
        assertThat(table.count()).isEqualTo(1);
        assertThat(table.bytes()).isEqualTo(600);
    }
}
