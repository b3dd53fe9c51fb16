package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kasan;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Yuwen Chen's multipage patch: pool, plug, shared completion, and its four defects. */
class MultiPageTest {

    @Test
    void aPoolOfTwoWaitsForCompletionsAndWritesEverything() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE), 4, 8, 2)) {
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-3"));
            assertTrue(rig.log.labels("wb-task").contains("waitCompletion"));
            assertEquals(4, rig.zram.stats.bdCount.get());
            assertEquals(Set.of(), rig.broken());
        }
    }

    @Test
    void thePlugHoldsTheBiosUntilTheTaskFinishesItOrSleeps() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE))) {
            rig.write(0);
            rig.write(1);
            StepGate.Pause finish = rig.gate.pauseAt("finishPlug", "wb-task");
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            finish.awaitArrival();
            assertEquals(0, rig.bdev.pendingCount(), "both bios are in the plug");
            finish.release();
            rig.bdev.awaitPending(2);
            assertEquals(0, rig.finish(task));
        }
    }

    @Test
    void whenKzallocFailsTheTwoOnStackRequestsDo() {
        Variant v = Variant.fixed(Design.MULTIPAGE);
        try (Rig rig = new Rig(v)) {
            ((MultiPage) rig.wb).setKzallocFails(true);
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            assertEquals(0, rig.runWriteback("page_indexes=0-3"));
            assertEquals(4, rig.zram.stats.bdCount.get());
            assertEquals(Set.of(), rig.broken());
        }
    }

    // ---- WRONG_PPS_CLEAR -------------------------------------------------------------------

    /** The bio fails; the drain releases the pp-slot; look at the pool before it is freed. */
    private static Set<Invariant> aFailedBioInTheDrain(Variant v) {
        try (Rig rig = new Rig(v)) {
            rig.write(0);
            StepGate.Pause free = rig.gate.pauseAt("drainRelease", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task);
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext(-Errno.EIO).join();
            free.awaitArrival();
            Set<Invariant> broken = rig.broken();
            free.release();
            assertEquals(-Errno.EIO, rig.finish(task));
            return broken;
        }
    }

    @Test
    void wrongPpsClearLeavesADanglingPointer() {
        assertEquals(Set.of(Invariant.NoDanglingPps),
                aFailedBioInTheDrain(Variant.only(Design.MULTIPAGE, Defect.WRONG_PPS_CLEAR)));
        assertEquals(Set.of(), aFailedBioInTheDrain(Variant.fixed(Design.MULTIPAGE)));
    }

    // ---- REQ_POOL_UAF ----------------------------------------------------------------------

    /**
     * The endio clears ALLOCATED and stalls before complete(); the task, in the drain, runs as
     * far as it can (as posted: past the drain, kfree(req_pool), out of the stack frame); then
     * the endio calls complete(req-&gt;done).
     */
    private static Rig endioStallsBeforeComplete(Variant v) {
        Rig rig = new Rig(v);
        rig.write(0);
        String drain = v.on(Defect.REQ_POOL_UAF) ? "drainTest" : "drainCount";
        Rig.Stall stall = rig.endioStallsAtItsLastStep("page_index=0", drain, "endioComplete");
        assertEquals(0, stall.task().join());
        return rig;
    }

    @Test
    void reqPoolUafCompletesOnFreedMemory() {
        try (Rig rig = endioStallsBeforeComplete(Variant.only(Design.MULTIPAGE, Defect.REQ_POOL_UAF))) {
            assertEquals(Set.of(Invariant.NoUseAfterFree), rig.broken());
            List<String> objects = rig.kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).stream()
                    .map(Kasan.Report::object).toList();
            assertTrue(objects.contains("req_pool"), objects.toString());
            assertTrue(objects.contains("zram_writeback_slots stack frame (multipage)"), objects.toString());
        }
        try (Rig rig = endioStallsBeforeComplete(Variant.fixed(Design.MULTIPAGE))) {
            assertEquals(Set.of(), rig.broken());
            assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
        }
    }

    @Test
    void asPostedHasTheUseAfterFree() {
        try (Rig rig = endioStallsBeforeComplete(Variant.asReleased(Design.MULTIPAGE))) {
            assertTrue(Invariants.broken(rig.violations()).contains(Invariant.NoUseAfterFree));
            assertFalse(rig.kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).isEmpty());
        }
    }
}
