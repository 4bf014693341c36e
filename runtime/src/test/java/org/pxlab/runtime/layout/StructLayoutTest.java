package org.pxlab.runtime.layout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class StructLayoutTest {
    private static HeaderField f(String name, int size, int rank) {
        return new HeaderField(name, size, rank, "test");
    }

    @Test
    void defaultBuildHeaderIsRefcntThenType() {
        StructLayout l = StructLayout.compose(List.of(f("ob_type", 8, Ranks.TYPE), f("ob_refcnt", 8, Ranks.REFCOUNT)));
        assertThat(l.offsetOf("ob_refcnt")).isZero();
        assertThat(l.offsetOf("ob_type")).isEqualTo(8);
        assertThat(l.size()).isEqualTo(16);
        assertThat(l.paddingBytes()).isZero();
    }

    @Test
    void freeThreadedHeaderPacksSmallFieldsLikePep703() {
        // ob_tid u64 | ob_flags u16 | ob_mutex u8 | ob_gc_bits u8 | ob_ref_local u32 | ob_ref_shared i64 | ob_type
        StructLayout l = StructLayout.compose(List.of(
                f("ob_type", 8, Ranks.TYPE), f("ob_ref_shared", 8, Ranks.REFCOUNT + 1), f("ob_ref_local", 4, Ranks.REFCOUNT),
                f("ob_gc_bits", 1, Ranks.FLAGS + 2), f("ob_mutex", 1, Ranks.FLAGS + 1), f("ob_flags", 2, Ranks.FLAGS),
                f("ob_tid", 8, Ranks.OWNER)));
        assertThat(l.offsetOf("ob_tid")).isZero();
        assertThat(l.offsetOf("ob_flags")).isEqualTo(8);
        assertThat(l.offsetOf("ob_mutex")).isEqualTo(10);
        assertThat(l.offsetOf("ob_gc_bits")).isEqualTo(11);
        assertThat(l.offsetOf("ob_ref_local")).isEqualTo(12);
        assertThat(l.offsetOf("ob_ref_shared")).isEqualTo(16);
        assertThat(l.offsetOf("ob_type")).isEqualTo(24);
        assertThat(l.size()).as("PEP 703's 32-byte header").isEqualTo(32);
    }

    @Test
    void paddingIsInsertedForAlignmentAndAtTheEnd() {
        StructLayout l = StructLayout.compose(List.of(f("a", 1, 0), f("b", 8, 1), f("c", 4, 2)));
        assertThat(l.offsetOf("a")).isZero();
        assertThat(l.offsetOf("b")).isEqualTo(8);
        assertThat(l.offsetOf("c")).isEqualTo(16);
        assertThat(l.size()).isEqualTo(24);
        assertThat(l.paddingBytes()).isEqualTo(7 + 4);
        assertThat(l.slots()).filteredOn(StructLayout.Slot::isPadding).extracting(StructLayout.Slot::offset).containsExactly(1, 20);
    }

    @Test
    void equalRanksKeepDeclarationOrder() {
        StructLayout l = StructLayout.compose(List.of(f("first", 8, 5), f("second", 8, 5)));
        assertThat(l.offsetOf("first")).isLessThan(l.offsetOf("second"));
    }

    @Test
    void twoComponentsClaimingOneFieldAreRefused() {
        assertThatThrownBy(() -> StructLayout.compose(List.of(new HeaderField("ob_refcnt", 8, 0, "plain"),
                new HeaderField("ob_refcnt", 8, 0, "interlocked"))))
                .hasMessageContaining("ob_refcnt").hasMessageContaining("plain").hasMessageContaining("interlocked");
    }

    @Test
    void askingForAnAbsentFieldNamesThePresentOnes() {
        StructLayout l = StructLayout.compose(List.of(f("ob_type", 8, Ranks.TYPE)));
        assertThatThrownBy(() -> l.offsetOf("ob_mutex")).hasMessageContaining("ob_mutex").hasMessageContaining("ob_type");
    }

    @Test
    void fieldSizesOtherThanPowersOfTwoUpToEightAreRefused() {
        assertThatThrownBy(() -> new HeaderField("odd", 3, 0, "x")).hasMessageContaining("3");
    }
}
