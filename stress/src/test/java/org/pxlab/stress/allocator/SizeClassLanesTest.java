package org.pxlab.stress.allocator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pxlab.stress.support.Actors;

class SizeClassLanesTest {
    private final SizeClassLanes lanes = new SizeClassLanes();

    @Test
    void aLaneHandsOutItsFreeBlocksAndIsBackInShapeAfterGive() {
        SizeClassLanes.Lane lane = lanes.take();
        for (int use = 0; use < SizeClassLanes.USES - 1; use++) {
            long a = lane.allocator().allocate(lane.size, Actors.FIRST);
            long b = lane.allocator().allocate(lane.size, Actors.SECOND);
            assertThat(lane.isFreeBlock(a)).isTrue();
            assertThat(lane.isFreeBlock(b)).isTrue();
            assertThat(a).isNotEqualTo(b);
            lanes.give(lane, a, b);
            assertThat(lanes.take()).as("the lane is reused").isSameAs(lane);
        }
        assertThat(lanes.rigs()).isEqualTo(1);
    }

    @Test
    void aSameBlockRaceIsFreedOnce() {
        SizeClassLanes.Lane lane = lanes.take();
        long a = lane.allocator().allocate(lane.size, Actors.FIRST);
        // As if the second actor had popped the same head.
        lanes.give(lane, a, a);
        SizeClassLanes.Lane again = lanes.take();
        assertThat(again).isSameAs(lane);
        long x = lane.allocator().allocate(lane.size, Actors.FIRST);
        long y = lane.allocator().allocate(lane.size, Actors.SECOND);
        assertThat(Set.of(x, y)).hasSize(2).allMatch(lane::isFreeBlock);
        lanes.give(lane, x, y);
    }

    @Test
    void lanesAreRetiredAfterTheirUsesAndTheirRigIsReleasedAndReplaced() {
        Set<SizeClassLanes.Lane> seen = new HashSet<>();
        int uses = SizeClassLanes.LANES * SizeClassLanes.USES;
        for (int i = 0; i < uses; i++) {
            SizeClassLanes.Lane lane = lanes.take();
            seen.add(lane);
            long a = lane.allocator().allocate(lane.size, Actors.FIRST);
            long b = lane.allocator().allocate(lane.size, Actors.SECOND);
            lanes.give(lane, a, b);
        }
        assertThat(seen).hasSize(SizeClassLanes.LANES);
        assertThat(lanes.rigs()).isEqualTo(1);
        SizeClassLanes.Lane fresh = lanes.take();
        assertThat(seen).doesNotContain(fresh);
        assertThat(lanes.rigs()).isEqualTo(2);
    }

    @Test
    void anAddressOffTheFreeListRetiresTheWholeRigWithoutFreeingIt() {
        SizeClassLanes.Lane lane = lanes.take();
        long a = lane.allocator().allocate(lane.size, Actors.FIRST);
        long bogus = 0x10_0000L;
        lanes.give(lane, a, bogus);
        // Its sibling lanes are skipped: the next take prepares a new rig.
        SizeClassLanes.Lane next = lanes.take();
        assertThat(lanes.rigs()).isEqualTo(2);
        assertThat(next.allocator()).isNotSameAs(lane.allocator());
    }
}
