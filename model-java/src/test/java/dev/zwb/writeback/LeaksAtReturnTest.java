package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariants;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Mutant;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * NoLeakAtReturn names what a returned writeback left allocated: each design's own objects and
 * the pp-slots. The leaks are made by the catalogued concurrency mutants (kernel.Mutant, armed
 * for the rig's kernel only); the same runs unarmed leave nothing.
 */
class LeaksAtReturnTest {

    private static Rig rig(Mutant armed, Design design, int nrBlocks) {
        Mutant.arm(armed);
        try {
            return new Rig(Variant.fixed(design), 4, nrBlocks, 2);
        } finally {
            Mutant.arm(null);
        }
    }

    private static List<String> leaks(Rig rig) {
        return Invariants.leaks(rig.zram, rig.wb).stream().map(Violation::detail).toList();
    }

    /**
     * One device block: the second pp-slot gets a request but no block, so that request is never
     * submitted, and with the mutant never released.
     */
    @Test
    void aSelectedRequestNeverReleasedLeaksWithItsPage() {
        for (Mutant armed : new Mutant[] {null, Mutant.BATCHED_SELECTED_REQ_NEVER_RELEASED}) {
            try (Rig rig = rig(armed, Design.BATCHED, 1)) {
                rig.write(0);
                rig.write(1);
                assertEquals(-Errno.ENOSPC, rig.runWriteback("page_indexes=0-1"));
                assertEquals(armed == null ? List.of() : List.of(
                        "zram_wb_req[0] (SELECTED) is still allocated after writeback returned",
                        "the page of zram_wb_req[0] is still allocated after writeback returned"), leaks(rig));
            }
        }
    }

    /** A completed request that keeps its pp-slot: the pp-slot, and the slot's ZRAM_PP_SLOT. */
    @Test
    void aPpSlotNeverReleasedLeaks() {
        for (Mutant armed : new Mutant[] {null, Mutant.BATCHED_COMPLETED_PPS_NOT_RELEASED}) {
            try (Rig rig = rig(armed, Design.BATCHED, 8)) {
                rig.write(0);
                assertEquals(0, rig.runWriteback("page_index=0"));
                assertEquals(armed == null ? List.of() : List.of(
                        "zram_pp_slot[0] is still allocated after writeback returned",
                        "slot 0 still has ZRAM_PP_SLOT after writeback returned"), leaks(rig));
            }
        }
    }

    /** Multipage frees its pool and every page by the time it returns. */
    @Test
    void multipageLeavesNothing() {
        try (Rig rig = rig(null, Design.MULTIPAGE, 8)) {
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-2"));
            assertEquals(List.of(), leaks(rig));
            assertEquals(List.of(), rig.violations());
        }
    }
}
