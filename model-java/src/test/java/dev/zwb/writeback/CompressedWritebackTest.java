package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.kernel.Content;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Batched writeback with compressed_writeback on (7.0+, raspberrypi/linux @052b6b2d): the raw
 * object goes to the device, the completion keeps size and priority, and decompress_bdev_page()
 * decompresses after the read. Each switch breaks its invariant; the fix passes the same walk.
 * The spec's models: batched/fixed-compressed, mainline-compressed, rb-recheck-wb-only,
 * wb-drops-size-prio.
 */
class CompressedWritebackTest {

    private static final Variant FIXED = Variant.fixed(Design.BATCHED);
    private static final Variant WB_ONLY = Variant.only(Design.BATCHED, Defect.RB_RECHECK_WB_ONLY);
    private static final Variant DROPS = Variant.only(Design.BATCHED, Defect.WB_DROPS_SIZE_PRIO);

    private static Rig compressed(Variant v) {
        Rig rig = new Rig(v);
        rig.zram.compressedWritebackStore(true);
        return rig;
    }

    /** Slot 0 written back, then read: what the read returns, and what broke. */
    private static Set<Invariant> writtenBackThenRead(Variant v, Content expected) {
        try (Rig rig = compressed(v)) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(expected, rig.finish(rig.read(0)));
            return rig.broken();
        }
    }

    @Test
    void aCompletionThatDropsSizeAndPriorityDecompressesGarbage() {
        assertEquals(Set.of(Invariant.Reads), writtenBackThenRead(DROPS, Content.GARBAGE));
        assertEquals(Set.of(), writtenBackThenRead(FIXED, new Content(0, 1)),
                "7.0's completion keeps size and priority: the object decompresses");
    }

    @Test
    void theMainlineCompletionKeepsTheTagAndV619sDropsIt() {
        try (Rig rig = new Rig(FIXED)) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(new Content(0, 1), rig.zram.table.zramGetCompTag(0));
        }
        try (Rig rig = new Rig(Variant.asReleased(Design.BATCHED))) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertNull(rig.zram.table.zramGetCompTag(0), "v6.19: slot_free() cleared it");
        }
    }

    /**
     * Slot 0 on block B; a reader loads B and its bio reads it; before the deferred decompression
     * runs, slot 0 is discarded (B released) and a second writeback puts slot 1 on B. With
     * {@code writtenBackAgain}, slot 0 is also written again and written back (to another block,
     * B being slot 1's): ZRAM_WB is back, the block is not. That is three writebacks during one
     * read; TLC's models run one writeback and cannot reach it.
     */
    private static Set<Invariant> changedBeforeTheDecompression(Variant v, boolean writtenBackAgain) {
        try (Rig rig = compressed(v)) {
            rig.write(0);
            rig.write(1);
            assertEquals(0, rig.runWriteback("page_index=0"));
            long b = rig.zram.table.zramGetHandle(0);
            StepGate.Pause decompress = rig.gate.pauseAt("readDecompress", "reader");
            Actor<Content> reader = rig.read(0);
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext().join(); // the reader's bio reads B: slot 0's raw object
            decompress.awaitArrival();
            rig.zram.zramBioDiscard(0);
            assertEquals(0, rig.runWriteback("page_index=1"));
            assertEquals(b, rig.zram.table.zramGetHandle(1), "slot 1 got the block slot 0 had");
            if (writtenBackAgain) {
                rig.write(0);
                assertEquals(0, rig.runWriteback("page_index=0"));
            }
            decompress.release();
            rig.finish(reader);
            return rig.broken();
        }
    }

    @Test
    void aWbOnlyReCheckFailsAReadRacingAFree() {
        assertEquals(Set.of(Invariant.ReadsSucceed), changedBeforeTheDecompression(WB_ONLY, false));
        assertEquals(Set.of(), changedBeforeTheDecompression(FIXED, false),
                "the fix sees the change and reads the slot again: the zero page");
    }

    @Test
    void aWbOnlyReCheckDecompressesAnotherSlotsBytes() {
        assertEquals(Set.of(Invariant.Reads), changedBeforeTheDecompression(WB_ONLY, true));
        assertEquals(Set.of(), changedBeforeTheDecompression(FIXED, true),
                "the fix compares the block too and reads again");
    }
}
