package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The single-page design: its order of steps, its limit handling, its as-released defect. */
class SinglePageTest {

    @Test
    void onePageTakesTheSpecsStepsInOrder() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(List.of("scan", "select", "limitCheck", "allocBlock", "readSlot",
                    "submitBio", "bioWait", "relock", "next", "select", "freeCarried",
                    "releaseCtl", "done"), rig.log.labels("wb-task"));
            assertEquals(List.of("bioEndio"), rig.log.labels("irq-"));
        }
    }

    @Test
    void aSkippedSlotsBlockIsCarriedThenFreed() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(0);
            StepGate.Pause read = rig.gate.pauseAt("readSlot", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            read.awaitArrival();
            assertEquals(1, rig.zram.stats.bdCount.get(), "block reserved");
            rig.zram.zramBioRead(0); // the access clears ZRAM_PP_SLOT
            read.release();
            assertEquals(0, rig.finish(task));
            assertTrue(rig.log.labels("wb-task").contains("freeCarried"));
            assertEquals(0, rig.zram.stats.bdCount.get());
            assertEquals(Set.of(), rig.broken());
        }
    }

    @Test
    void theLimitCapsTheWriteback() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(1);
            assertEquals(-Errno.EIO, rig.runWriteback("page_indexes=0-2"));
            assertEquals(1, rig.zram.stats.bdWrites.get());
            assertEquals(0, rig.zram.bdWbLimit());
            assertEquals(Set.of(), rig.broken());
        }
    }

    /** A store between a page's check and its charge is not a violation: the check came first. */
    @Test
    void aLimitStoreDuringTheWritebackIsNotAViolation() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(0);
            rig.write(1);
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(1);
            StepGate.Pause checked = rig.gate.pauseAt("allocBlock", "wb-task");
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            checked.awaitArrival();
            rig.zram.writebackLimitStore(0); // single: only wb_limit_lock, so it lands mid-run
            checked.release();
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(1, rig.zram.stats.bdWrites.get(), "the page checked before the store");
            assertEquals(Set.of(), rig.broken());
        }
    }

    @Test
    void asReleasedReadsTheHandleAfterUnlocking() {
        try (Rig rig = new Rig(Variant.asReleased(Design.SINGLE))) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            StepGate.Pause unlocked = rig.gate.pauseAt("readHandleUnlocked", "reader");
            Actor<Content> reader = rig.read(0);
            unlocked.awaitArrival();
            rig.zram.zramSlotFreeNotify(0);
            unlocked.release();
            assertEquals(Content.JUNK, rig.finish(reader), "block 0 was never written");
            assertEquals(Set.of(Invariant.Reads), rig.broken());
            assertFalse(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
        }
    }
}
