package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.ReadPath;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The defects of the paths every design shares (the completion's ZRAM_PP_SLOT re-test, and the
 * read path), each driven through one interleaving on every design, in both directions: with the
 * switch on the named invariant breaks, fixed it holds.
 */
class SharedPathsTest {

    // ---- NO_PP_RECHECK ---------------------------------------------------------------------

    /**
     * Slot 0 is read for writeback; before its write completes, the slot is written again (or
     * freed). Completion then converts it to ZRAM_WB on the block holding the old data.
     */
    private static Set<Invariant> slotChangesDuringWrite(Variant variant, boolean free) {
        try (Rig rig = new Rig(variant)) {
            rig.write(0);
            String submitLabel = variant.design() == Design.BATCHED ? "submitWbRequest" : "submitBio";
            StepGate.Pause submit = rig.gate.pauseAt(submitLabel, "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            submit.awaitArrival();
            if (free) {
                rig.zram.zramBioDiscard(0);
            } else {
                rig.write(0);
            }
            submit.release();
            assertEquals(0, rig.finish(task));
            return rig.broken();
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void noPpRecheckLosesANewWrite(Design design) {
        assertEquals(Set.of(Invariant.NoLostOrStaleData),
                slotChangesDuringWrite(Variant.only(design, Defect.NO_PP_RECHECK), false));
        assertEquals(Set.of(), slotChangesDuringWrite(Variant.fixed(design), false));
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void noPpRecheckBringsAFreedSlotBack(Design design) {
        // batched also counts pages_stored: the slot comes back as ZRAM_WB without the page that
        // slot_free() took off (7.0's completion adds nothing back)
        Set<Invariant> broken = design == Design.BATCHED
                ? Set.of(Invariant.NoLostOrStaleData, Invariant.PagesStoredAccounted)
                : Set.of(Invariant.NoLostOrStaleData);
        assertEquals(broken, slotChangesDuringWrite(Variant.only(design, Defect.NO_PP_RECHECK), true));
        assertEquals(Set.of(), slotChangesDuringWrite(Variant.fixed(design), true));
    }

    // ---- READ_BLKIDX_UNLOCKED ------------------------------------------------------------

    /** The label just after the reader dropped the slot lock in its first step. */
    private static String afterUnlock(Variant v) {
        return v.readPath() == ReadPath.UNLOCKED_HANDLE ? "readHandleUnlocked" : "readBio";
    }

    /** A reader of {@code slot} is parked at {@code unlocked}; the slot is then freed. */
    private static Actor<Content> readerFreedAfterUnlock(Rig rig, StepGate.Pause unlocked, int slot) {
        Actor<Content> reader = rig.read(slot);
        unlocked.awaitArrival();
        rig.zram.zramBioDiscard(slot);
        return reader;
    }

    /**
     * Slots 0 and 1 are on the device. A reader of the slot that is not on block 0 drops the
     * slot lock; the slot is freed (handle := 0); the reader goes on. Loading the handle after
     * the unlock reads block 0: junk (single, multipage never use it) or the other slot's data.
     */
    private static Set<Invariant> slotFreedAfterReaderUnlocked(Variant variant) {
        try (Rig rig = new Rig(variant)) {
            rig.write(0);
            rig.write(1);
            assertEquals(0, rig.runWriteback("page_indexes=0-1"));
            int victim = rig.zram.table.zramGetHandle(1) != 0 ? 1 : 0;
            StepGate.Pause unlocked = rig.gate.pauseAt(afterUnlock(variant), "reader");
            Actor<Content> reader = readerFreedAfterUnlock(rig, unlocked, victim);
            unlocked.release();
            rig.finish(reader);
            return rig.broken();
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void readBlkIdxUnlockedReadsAnotherBlock(Design design) {
        assertEquals(Set.of(Invariant.Reads),
                slotFreedAfterReaderUnlocked(Variant.only(design, Defect.READ_BLKIDX_UNLOCKED)));
        assertEquals(Set.of(), slotFreedAfterReaderUnlocked(Variant.fixed(design)));
        assertEquals(Set.of(), slotFreedAfterReaderUnlocked(Variant.only(design, Defect.NO_READ_RECHECK)),
                "patch 6/6 alone closes this interleaving");
    }

    // ---- ZS_READ_UNLOCKED: a zsmalloc handle used outside the slot lock ---------------------

    /**
     * Where a reader of a slot in memory stands after it took the handle: past the unlock with
     * the switch (readZsUnlocked), else after its read under the lock (readAccessed).
     */
    private static String afterZsHandle(Variant v) {
        return v.on(Defect.ZS_READ_UNLOCKED) ? "readZsUnlocked" : "readAccessed";
    }

    /** What happens to slot 0's object while its reader stands after taking the handle. */
    private enum ObjectFate {
        /** discard: zram_free_page() zs_free()s it. */
        FREED,
        /** discard, then a write of slot 1, whose zs_malloc() is handed slot 0's freed object. */
        REUSED,
        /** a writeback of slot 0: the completion zs_free()s it as it sets ZRAM_WB. */
        WRITTEN_BACK
    }

    private static Set<Invariant> objectChangesUnderReader(Variant variant, ObjectFate fate) {
        try (Rig rig = new Rig(variant)) {
            rig.write(0);
            rig.write(1);
            StepGate.Pause held = rig.gate.pauseAt(afterZsHandle(variant), "reader");
            Actor<Content> reader = rig.read(0);
            held.awaitArrival();
            switch (fate) {
                case FREED -> rig.zram.zramBioDiscard(0);
                case REUSED -> {
                    rig.zram.zramBioDiscard(0);
                    rig.write(1);
                }
                case WRITTEN_BACK -> assertEquals(0, rig.runWriteback("page_index=0"));
            }
            held.release();
            rig.finish(reader);
            return rig.broken();
        }
    }

    /** With the switch, {@code fate} breaks {@code broken}; fixed, it breaks nothing. */
    private static void zsReadUnlockedBreaks(Design design, ObjectFate fate, Invariant broken, String why) {
        assertEquals(Set.of(broken),
                objectChangesUnderReader(Variant.only(design, Defect.ZS_READ_UNLOCKED), fate), why);
        assertEquals(Set.of(), objectChangesUnderReader(Variant.fixed(design), fate));
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void zsReadUnlockedReadsAFreedObject(Design design) {
        zsReadUnlockedBreaks(design, ObjectFate.FREED, Invariant.NoFreedHandleUse,
                "the freed object still holds slot 0's page: only the lifetime invariant sees it");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void zsReadUnlockedReadsAnotherSlotsObject(Design design) {
        zsReadUnlockedBreaks(design, ObjectFate.REUSED, Invariant.Reads,
                "the handle is live again (slot 1's): the read returns slot 1's page");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void zsReadUnlockedReadsAnObjectTheCompletionFreed(Design design) {
        zsReadUnlockedBreaks(design, ObjectFate.WRITTEN_BACK, Invariant.NoFreedHandleUse,
                "the completion zs_free()s the object as it sets ZRAM_WB");
    }

    // ---- NO_READ_RECHECK: the residual window of patch 6/6 ---------------------------------

    /**
     * Slot 0 is on block B. A reader of slot 0 loads B under the lock and drops it; slot 0 is
     * freed (B released); a second writeback puts slot 1 on B; the reader's bio reads B.
     */
    private static Set<Invariant> blockReusedBeforeTheRead(Variant variant) {
        try (Rig rig = new Rig(variant)) {
            rig.write(0);
            rig.write(1);
            assertEquals(0, rig.runWriteback("page_index=0"));
            long b = rig.zram.table.zramGetHandle(0);
            StepGate.Pause unlocked = rig.gate.pauseAt(afterUnlock(variant), "reader");
            Actor<Content> reader = readerFreedAfterUnlock(rig, unlocked, 0);
            assertEquals(0, rig.runWriteback("page_index=1"));
            assertEquals(b, rig.zram.table.zramGetHandle(1), "slot 1 got the block slot 0 had");
            unlocked.release();
            rig.finish(reader);
            return rig.broken();
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void noReadRecheckReadsAnotherSlotsData(Design design) {
        assertEquals(Set.of(Invariant.Reads),
                blockReusedBeforeTheRead(Variant.only(design, Defect.NO_READ_RECHECK)));
        assertEquals(Set.of(Invariant.Reads),
                blockReusedBeforeTheRead(Variant.only(design, Defect.READ_BLKIDX_UNLOCKED)));
        assertEquals(Set.of(), blockReusedBeforeTheRead(Variant.fixed(design)),
                "the re-check sees the slot is no longer ZRAM_WB on B and reads again");
    }

    /**
     * A finding, not a switch: the re-check compares block indexes, so it is an ABA check. The
     * reader reads B while slot 1 owns it, stalls before its re-check, and by then slot 1 was
     * freed and slot 0, written again, was written back to B by a third writeback: the re-check
     * passes and the reader returns slot 1's data. Needs three writebacks during one read.
     */
    @ParameterizedTest
    @EnumSource(Design.class)
    void theReCheckIsAnAbaCheck(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design))) {
            rig.write(0);
            rig.write(1);
            assertEquals(0, rig.runWriteback("page_index=0"));
            long b = rig.zram.table.zramGetHandle(0);
            StepGate.Pause unlocked = rig.gate.pauseAt("readBio", "reader");
            StepGate.Pause recheck = rig.gate.pauseAt("readRecheck", "reader");
            Actor<Content> reader = readerFreedAfterUnlock(rig, unlocked, 0);
            assertEquals(0, rig.runWriteback("page_index=1"));
            unlocked.release();
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext().join(); // the reader reads B: slot 1's data
            recheck.awaitArrival();
            rig.zram.zramBioDiscard(1);
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(b, rig.zram.table.zramGetHandle(0), "slot 0 is back on B");
            recheck.release();
            assertEquals(new Content(1, 1), rig.finish(reader));
            assertEquals(Set.of(Invariant.Reads), rig.broken());
        }
    }

    // ---- LIMIT_AT_COMPLETION ------------------------------------------------------------------

    /**
     * Budget 1, two slots; the state is looked at once every submitted bio is in the device
     * (multipage: after the plug is finished, at the counting drain; batched: at the drain). With the charge at
     * completion both checks pass before either page is charged.
     */
    private static Set<Invariant> twoPagesOnABudgetOfOne(Variant v, int expectRet, int expectBios) {
        try (Rig rig = new Rig(v)) {
            rig.write(0);
            rig.write(1);
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(1);
            String allSent = v.design() == Design.MULTIPAGE ? "drainCount" : "drainWait";
            StepGate.Pause sent = rig.gate.pauseAt(allSent, "wb-task");
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            sent.awaitArrival();
            assertEquals(expectBios, rig.bdev.pendingCount());
            sent.release();
            assertEquals(expectRet, rig.finish(task));
            return rig.broken();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Design.class, names = {"MULTIPAGE", "BATCHED"})
    void limitAtCompletionOverrunsTheBudget(Design design) {
        assertEquals(Set.of(Invariant.WbLimit),
                twoPagesOnABudgetOfOne(Variant.only(design, Defect.LIMIT_AT_COMPLETION), 0, 2));
        assertEquals(Set.of(), twoPagesOnABudgetOfOne(Variant.fixed(design), -Errno.EIO, 1));
    }

    // ---- BLK_IDX_LEAK -------------------------------------------------------------------------

    /** The block is reserved; the slot is freed; the loop ends carrying the block. */
    private static List<Violation> theLastSlotIsFreedAfterItsBlockIsReserved(Variant v) {
        try (Rig rig = new Rig(v)) {
            rig.write(0);
            StepGate.Pause read = rig.gate.pauseAt("readSlot", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            read.awaitArrival();
            rig.zram.zramBioDiscard(0);
            read.release();
            assertEquals(0, task.join());
            return rig.violations();
        }
    }

    /** Batched as released; on single a teaching switch (single without its final free). */
    @ParameterizedTest
    @EnumSource(value = Design.class, names = {"SINGLE", "BATCHED"})
    void blkIdxLeakLeavesABlockOwnedByNobody(Design design) {
        List<Violation> leak = theLastSlotIsFreedAfterItsBlockIsReserved(
                Variant.only(design, Defect.BLK_IDX_LEAK));
        assertEquals(1, leak.size(), leak.toString());
        assertEquals(Invariant.BlockNoLeak, leak.get(0).invariant());
        assertEquals("BlockOwnership", leak.get(0).invariant().group());
        assertEquals(List.of(), theLastSlotIsFreedAfterItsBlockIsReserved(Variant.fixed(design)));
    }

    // ---- duplicate pp-slots (overlapping page_indexes=) ------------------------------------

    @ParameterizedTest
    @EnumSource(Design.class)
    void overlappingRangesWriteASlotTwiceHarmlessly(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design))) {
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-1 page_indexes=1-2"));
            for (int i = 0; i < 3; i++) {
                assertTrue(rig.zram.table.zramTestFlag(i, ZramTable.ZRAM_WB), "slot " + i);
            }
            assertTrue(rig.zram.stats.bdWrites.get() >= 3);
            assertEquals(3, rig.zram.stats.bdCount.get(), "the wasted write's block was released");
            assertEquals(Set.of(), rig.broken());
        }
    }

    // ---- a plain run, and a bio error --------------------------------------------------------

    @ParameterizedTest
    @EnumSource(Design.class)
    void fixedWritesBackEverySelectedSlot(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design), 4, 8, 2)) {
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-3"));
            for (int i = 0; i < 4; i++) {
                assertTrue(rig.zram.table.zramTestFlag(i, ZramTable.ZRAM_WB), "slot " + i);
                assertEquals(new Content(i, 1), rig.finish(rig.read(i)));
            }
            assertEquals(4, rig.zram.stats.bdCount.get());
            assertEquals(4, rig.zram.stats.pagesStored.get());
            assertTrue(Invariants.check(rig.zram, rig.wb).isEmpty());
            assertTrue(rig.kernel.kasan.reports().isEmpty(), rig.kernel.kasan.reports().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void aBioErrorLeavesTheSlotInMemory(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design))) {
            rig.write(0);
            rig.write(1);
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.settle(task);
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext(-5).join(); // the first write fails (slot 1: scanned last)
            assertEquals(-5, rig.finish(task));
            assertFalse(rig.zram.table.zramTestFlag(1, ZramTable.ZRAM_WB));
            assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
            assertEquals(1, rig.zram.stats.bdCount.get(), "no block leaked");
            assertEquals(new Content(1, 1), rig.finish(rig.read(1)));
            assertEquals(Set.of(), rig.broken());
        }
    }
}
