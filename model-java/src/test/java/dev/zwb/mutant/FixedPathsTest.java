package dev.zwb.mutant;

import dev.zwb.Rig;
import dev.zwb.bdev.BackingDevice;
import dev.zwb.check.Invariant;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Deterministic scenarios over the fixed paths that the defect tests leave alone: a failing bio
 * next to a good one, two endios in flight at once, a request selected and never submitted, a
 * limit store in the middle of a multipage writeback, a read whose block is reused by another
 * slot while the read's own slot is written back elsewhere, the huge filter of the scan. Each
 * ends with every invariant, the kernel log (WARNING, LOCKDEP, HUNG_TASK) and the leak check at
 * writeback's return. They are the catchers of the concurrency mutants
 * ({@code concurrency-mutants.tsv}); each passes on the unmutated twin.
 */
class FixedPathsTest {

    private static Variant fixed(Design d) {
        return Variant.fixed(d);
    }

    /**
     * Slots 0 and 1 written, the limit enabled at {@code limit}, writeback({@code args}) started
     * and run until it sleeps with {@code bios} bios in the device.
     */
    private static Actor<Integer> limitedWriteback(Rig rig, long limit, String args, int bios) {
        rig.write(0);
        rig.write(1);
        rig.zram.writebackLimitEnableStore(true);
        rig.zram.writebackLimitStore(limit);
        Actor<Integer> task = rig.writeback(args);
        rig.bdev.awaitPending(bios);
        rig.settle(task);
        return task;
    }

    private static void assertClean(Rig rig) {
        List<Violation> v = rig.violations();
        assertEquals(List.of(), v);
        assertEquals(List.of(), rig.bdev.endioFailures(), "an endio threw");
    }

    // ---- batched: two endios in flight, one failing -------------------------------------------

    /**
     * Batched, a batch of two, the limit enabled at 4, slots 0 and 1: both bios are in flight;
     * slot 0's fails and its endio parks after it published its request, before it wakes the
     * task; then slot 1's endio does the same, so two endios are in flight at once; then both go
     * on. The failed page is refunded once, slot 1 is
     * ZRAM_WB, slot 0 stays in memory, nothing leaks.
     */
    @Test
    void batchedTwoEndiosAtOnceOneFailing() {
        try (Rig rig = new Rig(fixed(Design.BATCHED), 4, 8, 2)) {
            Actor<Integer> task = limitedWriteback(rig, 4, "page_indexes=0-1", 2);
            assertEquals(2, rig.zram.bdWbLimit(), "both pages charged at submission");
            StepGate.Pause first = rig.gate.pauseAt("endioWakeUp", "irq-");
            BackingDevice.Irq failing = rig.bdev.completeNext(-Errno.EIO);
            first.awaitArrival();
            StepGate.Pause second = rig.gate.pauseAt("endioWakeUp", "irq-");
            BackingDevice.Irq good = rig.bdev.completeNext();
            second.awaitArrival();
            first.release();
            second.release();
            failing.join();
            good.join();
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(3, rig.zram.bdWbLimit(), "the failed page refunded once");
            int failed = rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB) ? 1 : 0;
            assertFalse(rig.zram.table.zramTestFlag(failed, ZramTable.ZRAM_WB));
            assertTrue(rig.zram.table.zramTestFlag(1 - failed, ZramTable.ZRAM_WB));
            assertEquals(1, rig.zram.stats.bdWrites.get());
            assertEquals(1, rig.zram.ghost.logical(0).version());
            assertClean(rig);
        }
    }

    /**
     * Batched, a batch of one, three slots, one bio failing: the one request is reused after each
     * completion (the failing one included), every page is charged once and the failed one
     * refunded; the task reaps under done_lock while the next endio publishes.
     */
    @Test
    void batchedRequestReuseAfterAFailingBio() {
        try (Rig rig = new Rig(fixed(Design.BATCHED), 4, 8, 1)) {
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(10);
            Actor<Integer> task = rig.writeback("page_indexes=0-2");
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext(-Errno.EIO).join();
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(8, rig.zram.bdWbLimit(), "three charged, one refunded");
            assertEquals(2, rig.zram.stats.bdWrites.get());
            assertClean(rig);
        }
    }

    /**
     * Batched with a device of one block and two slots: the second slot's request is selected,
     * no block is left (-ENOSPC), and the request is released at {@code releaseReq}.
     */
    @Test
    void batchedRequestSelectedButNeverSubmittedIsReleased() {
        try (Rig rig = new Rig(fixed(Design.BATCHED), 4, 1, 2)) {
            rig.write(0);
            rig.write(1);
            assertEquals(-Errno.ENOSPC, rig.runWriteback("page_indexes=0-1"));
            assertEquals(1, rig.zram.stats.bdWrites.get());
            assertClean(rig);
        }
    }

    // ---- multipage: the refund and a limit store mid-writeback ------------------------------

    /**
     * Multipage, slots 0 and 1, the limit enabled at 2: slot 0 is charged and submitted; while
     * its bio is in flight {@code midway} runs; then the bio fails and the writeback finishes.
     */
    private static Rig multipageSlot0Fails(Consumer<Rig> midway) {
        Rig rig = new Rig(fixed(Design.MULTIPAGE), 4, 8, 2);
        Actor<Integer> task = limitedWriteback(rig, 2, "page_index=0", 1);
        assertEquals(1, rig.zram.bdWbLimit(), "charged before submission");
        midway.accept(rig);
        rig.bdev.completeNext(-Errno.EIO).join();
        assertEquals(-Errno.EIO, rig.finish(task));
        return rig;
    }

    /** Multipage: slot 0's bio fails; it is refunded, and the drain frees the request's block. */
    @Test
    void multipageFailedWriteIsRefundedAndItsBlockFreed() {
        try (Rig rig = multipageSlot0Fails(r -> { })) {
            assertEquals(2, rig.zram.bdWbLimit(), "refunded");
            assertEquals(0, rig.zram.stats.bdCount.get(), "the drain freed the request's block");
            assertClean(rig);
        }
    }

    /**
     * Multipage (limit stores land during a writeback there): while slot 0's bio is in flight the
     * limit is set to 0; the bio fails. The refund would go into the new budget, which was never
     * charged, so there is none: the limit stays 0, and a second writeback writes nothing.
     */
    @Test
    void multipageRefundAfterALimitStoreGoesNowhere() {
        try (Rig rig = multipageSlot0Fails(r -> r.zram.writebackLimitStore(0))) {
            assertEquals(0, rig.zram.bdWbLimit(), "no refund into the new budget");
            assertEquals(-Errno.EIO, rig.runWriteback("page_index=1"), "the limit stops it");
            assertEquals(0, rig.zram.stats.bdWrites.get());
            assertClean(rig);
        }
    }

    // ---- the conversion, the scan, reads ----------------------------------------------------

    /** One untouched slot on each design: written back, readable, nothing else changed. */
    @Test
    void everyDesignWritesBackAndReadsBackCleanly() {
        for (Design d : Design.values()) {
            for (Variant v : List.of(fixed(d), Variant.only(d, Defect.NO_READ_RECHECK))) {
                try (Rig rig = new Rig(v)) {
                    long version = rig.write(0);
                    assertEquals(0, rig.runWriteback("page_index=0"), v.toString());
                    assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB), v.toString());
                    Content got = rig.finish(rig.read(0));
                    assertEquals(version, got.version(), v.toString());
                    assertEquals(1, rig.zram.stats.bdCount.get(), v.toString());
                    assertClean(rig);
                }
            }
        }
    }

    /** writeback "huge" takes the huge slot only. */
    @Test
    void theHugeFilterTakesHugeSlotsOnly() {
        for (Design d : Design.values()) {
            try (Rig rig = new Rig(fixed(d))) {
                rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
                rig.write(1);
                assertEquals(0, rig.runWriteback("huge"));
                assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB), d.id());
                assertFalse(rig.zram.table.zramTestFlag(1, ZramTable.ZRAM_WB), d.id());
                assertClean(rig);
            }
        }
    }

    /**
     * The read re-check must compare the block, not only ZRAM_WB. Slot 0 is on block B; a reader
     * of slot 0 has loaded B and dropped the lock; slot 0 is freed (B released) and written
     * again; slot 1 is written back onto B, then slot 0 onto another block B2. The reader reads
     * B (slot 1's data); its re-check finds slot 0 ZRAM_WB but on B2, and reads again.
     */
    @Test
    void theReadRecheckComparesTheBlock() {
        for (Design d : Design.values()) {
            try (Rig rig = new Rig(fixed(d))) {
                rig.write(0);
                rig.write(1);
                assertEquals(0, rig.runWriteback("page_index=0"));
                long b = rig.zram.table.zramGetHandle(0);
                StepGate.Pause unlocked = rig.gate.pauseAt("readBio", "reader");
                Actor<Content> reader = rig.read(0);
                unlocked.awaitArrival();
                rig.zram.zramBioDiscard(0);
                long v0 = rig.write(0);
                assertEquals(0, rig.runWriteback("page_index=1"));
                assertEquals(b, rig.zram.table.zramGetHandle(1), d.id() + ": slot 1 reuses B");
                assertEquals(0, rig.runWriteback("page_index=0"));
                assertTrue(rig.zram.table.zramGetHandle(0) != b, d.id());
                unlocked.release();
                assertEquals(v0, rig.finish(reader).version(), d.id());
                assertEquals(Set.of(), rig.broken(), d.id());
                assertClean(rig);
            }
        }
    }

    /** A freed huge slot rewritten with compressible data is no longer huge. */
    @Test
    void aFreeClearsHugeAndSame() {
        try (Rig rig = new Rig(fixed(Design.BATCHED))) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.zram.zramBioWrite(1, Zram.PageKind.SAME);
            rig.zram.zramBioDiscard(0);
            rig.zram.zramBioDiscard(1);
            assertFalse(rig.zram.table.zramAllocated(1), "a freed same-filled slot holds nothing");
            rig.write(0);
            assertFalse(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_HUGE));
            assertEquals(0, rig.runWriteback("huge"));
            assertEquals(0, rig.zram.stats.bdWrites.get(), "nothing huge is left");
            assertClean(rig);
        }
    }

    /** idle_store() marks under the slot lock and releases init_lock; writeback "idle" follows. */
    @Test
    void idleMarkingThenIdleWriteback() {
        try (Rig rig = new Rig(fixed(Design.SINGLE))) {
            rig.write(0);
            rig.write(1);
            rig.zram.idleStore();
            rig.write(1); // accessed again: no longer idle
            assertEquals(0, rig.runWriteback("idle"));
            assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
            assertFalse(rig.zram.table.zramTestFlag(1, ZramTable.ZRAM_WB));
            assertClean(rig);
        }
    }

    /** Multipage with a pool of one request: it is reused for every page. */
    @Test
    void multipagePoolOfOne() {
        try (Rig rig = new Rig(fixed(Design.MULTIPAGE), 4, 8, 1)) {
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-2"));
            assertEquals(3, rig.zram.stats.bdWrites.get());
            assertClean(rig);
        }
    }

    /** Not a catcher: the kernel-log check itself fails on a WARN_ON (the test expects one). */
    @Test
    void aWarningIsAViolation() {
        try (Rig rig = new Rig(fixed(Design.SINGLE))) {
            rig.zram.freeBlockBdev(3); // never reserved: WARN_ON_ONCE
            assertEquals(Set.of(Invariant.NoKernelWarning), rig.broken());
        }
    }
}
