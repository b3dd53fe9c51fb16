package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.bdev.BackingDevice;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.check.Liveness;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kasan;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched design as merged for v6.19 (+ 7.0 fixes), and the defects of it and its drafts. */
class BatchedTest {

    private static Variant only(Defect d) {
        return Variant.only(Design.BATCHED, d);
    }

    private static Variant fixed() {
        return Variant.fixed(Design.BATCHED);
    }

    @Test
    void aBatchOfOneReapsBeforeEachNewRequest() {
        try (Rig rig = new Rig(fixed(), 4, 8, 1)) {
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-3"));
            List<String> task = rig.log.labels("wb-task");
            assertTrue(task.contains("waitDone") && task.contains("completeDoneReqs"), task.toString());
            assertEquals(Set.of(), rig.broken());
            assertTrue(rig.kernel.kasan.reports().isEmpty());
        }
    }

    // ---- WB_CTL_UAF (CVE-2026-63951) --------------------------------------------------------

    /**
     * The commit message's interleaving: the endio has put the request on done_reqs and dropped
     * done_lock, and stalls before wake_up(); the task, in the final drain, sees the request
     * without being woken, completes it, returns and releases wb_ctl; then the endio wakes.
     */
    private static Rig endioStallsBeforeWakeUp(Variant v) {
        Rig rig = new Rig(v);
        rig.write(0);
        Rig.Stall stall = rig.endioStallsAtItsLastStep("page_index=0", "drainWait", "endioWakeUp");
        assertEquals(0, stall.task().join(), "the task finished without the wake-up");
        return rig;
    }

    @Test
    void wbCtlUafWakesAFreedWaitQueue() {
        try (Rig rig = endioStallsBeforeWakeUp(only(Defect.WB_CTL_UAF))) {
            assertEquals(Set.of(Invariant.NoUseAfterFree), rig.broken());
            Kasan.Report r = rig.kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).get(0);
            assertEquals("zram_wb_ctl", r.object());
            assertEquals("wake_up", r.access());
            assertEquals("endioWakeUp", r.label());
        }
        try (Rig rig = endioStallsBeforeWakeUp(fixed())) {
            assertEquals(Set.of(), rig.broken(), "kfree_rcu waited for the endio's read section");
        }
    }

    @Test
    void asReleasedHasTheUseAfterFree() {
        try (Rig rig = endioStallsBeforeWakeUp(Variant.asReleased(Design.BATCHED))) {
            assertTrue(rig.broken().contains(Invariant.NoUseAfterFree));
        }
    }

    // ---- the limit (LIMIT_AT_COMPLETION is in SharedPathsTest) -------------------------------

    @Test
    void aFailedWriteIsRefunded() {
        try (Rig rig = new Rig(fixed())) {
            rig.write(0);
            rig.write(1);
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(2);
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.settle(task);
            assertEquals(0, rig.zram.bdWbLimit(), "both charged before submission");
            rig.bdev.completeNext(-Errno.EIO).join();
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(1, rig.zram.bdWbLimit(), "the failed one refunded");
            assertEquals(Set.of(), rig.broken());
        }
    }

    /**
     * The replay mapping's wbRet after a reaping that saw a bio error: a later -ENOSPC is what
     * the task holds (the spec's reserveBlock sets wbRet to ENOSPC), not the older EIO. Two bios
     * end before the task reaps, the second with an error (its block goes back to the bitmap);
     * the two freed requests take slots 2 and 3, and slot 3 finds no block.
     */
    @Test
    void anEnospcAfterAFailedReapIsWhatTheMappingSees() {
        try (Rig rig = new Rig(fixed(), 4, 2, 2)) {
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            StepGate.Pause select = rig.gate.pauseAt("selectIdleReq", "wb-task", 2);
            StepGate.Pause drain = rig.gate.pauseAt("drainWait", "wb-task");
            Actor<Integer> task = rig.writeback("page_indexes=0-3");
            select.awaitArrival();
            rig.bdev.completeNext().join();
            rig.bdev.completeNext(-Errno.EIO).join();
            select.release();
            drain.awaitArrival();
            Batched wb = (Batched) rig.wb;
            assertEquals(-Errno.ENOSPC, wb.ret());
            assertEquals(0, wb.reapErr(), "the reaping's EIO was taken by the task");
            drain.release();
            assertEquals(-Errno.ENOSPC, rig.finish(task));
        }
    }

    @Test
    void limitStoresWaitForTheWriteback() {
        try (Rig rig = new Rig(fixed())) {
            rig.write(0);
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task);
            Actor<Void> store = rig.track(Actor.run("store", () -> rig.zram.writebackLimitStore(5)));
            assertFalse(store.returnedWithin(Duration.ofMillis(50)), "init_lock is held for read");
            rig.finish(task);
            store.join();
            assertEquals(5, rig.zram.bdWbLimit());
        }
    }

    // ---- EARLY_PP_RELEASE (batched v3) ---------------------------------------------------------

    private static List<Violation> oneUntouchedSlot(Variant v) {
        try (Rig rig = new Rig(v)) {
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(1, rig.zram.stats.bdWrites.get());
            return rig.violations();
        }
    }

    @Test
    void earlyPpReleaseNeverMarksAnythingWritten() {
        List<Violation> v = oneUntouchedSlot(only(Defect.EARLY_PP_RELEASE));
        assertEquals(Set.of(Invariant.WrittenBackWhenUntouched), Invariants.broken(v));
        assertEquals(List.of(), oneUntouchedSlot(fixed()));
    }

    // ---- PPS_NOT_OWNED (batched v1) -------------------------------------------------------------

    /**
     * Batch of two: with the pp-slot left in its bucket, the same slot is submitted twice; the
     * state is checked where the task first blocks (waiting for a request, or in the drain).
     */
    private static Rig oneSlotBatchOfTwo(Variant v, List<Set<Invariant>> midway) {
        Rig rig = new Rig(v, 4, 8, 2);
        rig.write(0);
        Actor<Integer> task = rig.writeback("page_index=0");
        rig.settle(task);
        midway.add(rig.broken());
        rig.finish(task);
        return rig;
    }

    @Test
    void ppsNotOwnedSubmitsASlotTwiceAndFreesItUnderTheOtherRequest() {
        List<Set<Invariant>> midway = new java.util.ArrayList<>();
        try (Rig rig = oneSlotBatchOfTwo(only(Defect.PPS_NOT_OWNED), midway)) {
            assertEquals(Set.of(Invariant.NoPpsSharedByTwoRequests), midway.get(0),
                    "two requests hold one pp-slot");
            assertEquals(Set.of("MemoryLifetime"), Invariants.brokenGroups(rig.violations()));
            assertTrue(rig.broken().contains(Invariant.NoUseAfterFree));
            assertFalse(rig.kernel.kasan.reports(Kasan.Kind.DOUBLE_FREE).isEmpty());
        }
        midway.clear();
        try (Rig rig = oneSlotBatchOfTwo(fixed(), midway)) {
            assertEquals(Set.of(), midway.get(0));
            assertEquals(Set.of(), rig.broken());
            assertEquals(1, rig.zram.stats.bdWrites.get());
        }
    }

    // ---- LOST_WAKEUP (teaching) -------------------------------------------------------------------

    /**
     * The endio wakes before it publishes: its wake-up comes while the task is still on its way
     * to wait_event, the task then tests (nothing published), sleeps, and the request is
     * published with no wake-up to follow. Fixed: publish, then wake.
     */
    @Test
    void aWakeUpBeforeThePublicationIsLost() {
        try (Rig rig = new Rig(only(Defect.LOST_WAKEUP))) {
            rig.kernel.setHungTaskTimeout(Duration.ofMillis(300));
            rig.write(0);
            StepGate.Pause check = rig.gate.pauseAt("waitDone", "wb-task");
            StepGate.Pause publish = rig.gate.pauseAt("endioLock", "irq-");
            Actor<Integer> task = rig.writeback("page_index=0");
            check.awaitArrival();
            BackingDevice.Irq irq = rig.bdev.completeNext(); // wake_up: nobody sleeps yet
            publish.awaitArrival();
            check.release();
            rig.settle(task); // tested, found nothing, sleeps
            publish.release();
            irq.join();
            List<Violation> live = Liveness.writebackReturns(task, Duration.ofMillis(100), rig.zram);
            assertEquals(Invariant.WritebackReturns, live.get(0).invariant());
            assertTrue(task.returnedWithin(Duration.ofSeconds(5)), "the hung-task timeout ends it");
            Kasan.Report hung = rig.kernel.kasan.reports(Kasan.Kind.HUNG_TASK).get(0);
            assertTrue(hung.detail().startsWith("lost wake-up"), hung.toString());
        }
        try (Rig rig = new Rig(fixed())) {
            rig.write(0);
            StepGate.Pause check = rig.gate.pauseAt("waitDone", "wb-task");
            StepGate.Pause wake = rig.gate.pauseAt("endioWakeUp", "irq-");
            Actor<Integer> task = rig.writeback("page_index=0");
            check.awaitArrival();
            BackingDevice.Irq irq = rig.bdev.completeNext(); // published, not yet woken
            wake.awaitArrival();
            check.release();
            rig.settle(task);
            wake.release();
            irq.join();
            assertEquals(List.of(), Liveness.writebackReturns(task, Duration.ofSeconds(5), rig.zram));
        }
    }

    /**
     * LOST_WAKEUP's wake-up is lost only when it comes before the task sleeps: one that finds the
     * task asleep wakes it (waitSleep), and if the publication is in by the time it tests again,
     * it reaps and returns.
     */
    @Test
    void anEarlyWakeUpOfATaskAlreadyAsleepIsNotLost() {
        try (Rig rig = new Rig(only(Defect.LOST_WAKEUP))) {
            rig.write(0);
            StepGate.Pause publish = rig.gate.pauseAt("endioLock", "irq-");
            StepGate.Pause woken = rig.gate.pauseAt("waitSleep", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task); // asleep in wait_event(), nothing published
            BackingDevice.Irq irq = rig.bdev.completeNext(); // wake_up() first
            publish.awaitArrival();
            woken.awaitArrival();
            publish.release();
            irq.join();
            woken.release();
            assertEquals(0, rig.finish(task));
            assertEquals(List.of(), rig.kernel.kasan.reports(Kasan.Kind.HUNG_TASK));
        }
    }

    // ---- COMPLETION_REINIT (batched v2 – v4) ------------------------------------------------------

    /**
     * Batch of one, two slots: the task, out of requests, is parked at {@code waitLabel}; the
     * first bio's endio stalls at its last step while the task runs on. Returns the task.
     */
    private static Actor<Integer> firstEndioStallsAtItsLastStep(Rig rig, String waitLabel,
                                                                String endioLabel) {
        rig.write(0);
        rig.write(1);
        Rig.Stall stall = rig.endioStallsAtItsLastStep("page_indexes=0-1", waitLabel, endioLabel);
        assertEquals(1, stall.heldWhileStalled(), "slot 0's request was reused for slot 1");
        return stall.task();
    }

    /**
     * COMPLETION_REINIT. The first bio completes; its endio decrements num_inflight to 0
     * and stalls before complete(). The task reads 0, skips the wait, reinits, reaps, reuses the
     * request for slot 1 and waits again; the late complete() ends that wait while slot 1's bio
     * is still in the device, and the task marks slot 1 ZRAM_WB on a block never written.
     */
    @Test
    void completionReinitMarksASlotWrittenBeforeItsDataIsOnDisk() {
        try (Rig rig = new Rig(only(Defect.COMPLETION_REINIT), 4, 8, 1)) {
            Actor<Integer> task = firstEndioStallsAtItsLastStep(rig, "waitDone", "endioComplete");
            assertEquals(0, task.join());
            assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
            // release_wb_ctl()'s WARN_ON fires too: slot 1's bio is still in flight.
            assertEquals(Set.of(Invariant.NoLostOrStaleData, Invariant.NoInflightReqReuse,
                    Invariant.AllBiosAccounted, Invariant.NoKernelWarning), rig.broken());
            assertEquals(List.of("num_inflight is 1 after the drain", "zram_wb_req[0]'s bio is in flight after the drain"),
                    rig.violations().stream().filter(v -> v.invariant() == Invariant.AllBiosAccounted)
                            .map(Violation::detail).toList(), "each of the two halves of AllBiosAccounted");
            assertEquals("release_wb_ctl",
                    rig.kernel.kasan.reports(Kasan.Kind.WARNING).get(0).object());
            List<Violation> live = Liveness.writebackReturns(task, Duration.ofSeconds(1), rig.zram);
            assertEquals(Invariant.WritebackReturns, live.get(0).invariant());
            rig.bdev.completeNext().join(); // slot 1's bio ends after wb_ctl was freed
            assertTrue(rig.broken().contains(Invariant.NoUseAfterFree));
        }
    }

    /** The same workload and the analogous stall (the endio's last step) on the merged design. */
    @Test
    void theMergedDesignReapsOnlyWhatIsDone() {
        try (Rig rig = new Rig(fixed(), 4, 8, 1)) {
            Actor<Integer> task = firstEndioStallsAtItsLastStep(rig, "waitDone", "endioWakeUp");
            assertFalse(task.returnedWithin(Duration.ZERO), "it waits for slot 1's bio");
            assertEquals(0, rig.finish(task));
            assertEquals(Set.of(), rig.broken());
            assertEquals(List.of(), Liveness.writebackReturns(task, Duration.ofSeconds(1), rig.zram));
        }
    }
}
