package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.Zram;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the refinement mapping reads of each design (the C's locals and the requests), at points
 * where the task sleeps or is parked, so every value is fixed: before the first writeback,
 * with both bios of a batch of two held, after the first bio failed, and after the return.
 * Three slots, the first bio to complete fails.
 */
class MappingViewsTest {

    private static Set<Integer> requestsOf(Rig rig, java.util.function.ToIntFunction<Bio> requestOf) {
        return rig.bdev.pendingBios().stream().map(requestOf::applyAsInt).collect(Collectors.toSet());
    }

    @Test
    void batched() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED), 4, 8, 2)) {
            Batched w = (Batched) rig.wb;
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            assertEquals(List.of(), w.requests());
            assertEquals("none", w.ctlState());
            assertEquals(List.of(), w.idleReqs());
            assertEquals(0, w.numInflight());
            assertEquals(0, w.doneCount());
            assertEquals(-1, w.reqIndex());
            assertNull(w.ppCtl());
            assertEquals(-1, w.requestOf(new Bio(rig.zram.mem)));

            Actor<Integer> task = rig.writeback("page_indexes=0-2");
            rig.settle(task);
            assertEquals(List.of("inflight", "inflight"), w.requests().stream().map(Batched.RequestView::st).toList());
            assertEquals(Set.of(1, 2), w.requests().stream().map(Batched.RequestView::bioSlot).collect(Collectors.toSet()),
                    "slot 2 (scanned last) and slot 1 on the device; slot 0 waits for a request");
            assertEquals(List.of(), w.idleReqs());
            assertEquals(List.of(), w.doneReqs());
            assertEquals(List.of(), w.inflightReqs(), "mainline has no inflight_reqs");
            assertEquals(2, w.numInflight());
            assertEquals("live", w.ctlState());
            assertEquals(0, w.wbPps().peekIndex(), "the pp-slot selected last");
            assertEquals(Zram.INVALID_BDEV_BLOCK, w.carriedBlock());
            assertEquals(Set.of(0, 1), requestsOf(rig, w::requestOf));
            assertEquals(3, w.ppCtl().placed().size());
            assertEquals(List.of(), rig.violations());

            Bio first = rig.bdev.pendingBios().get(0);
            int failing = w.requestOf(first);
            StepGate.Pause reap = rig.gate.pauseAt("completeDoneReqs", "wb-task");
            rig.bdev.completeNext(-Errno.EIO).join();
            reap.awaitArrival();
            assertEquals(List.of(failing), w.doneReqs(), "the endio put it on done_reqs");
            assertEquals(2, w.numInflight(), "zram_complete_done_reqs() drops num_inflight as it reaps");
            assertEquals(Set.of(), w.okSlots());
            reap.release();
            rig.settle(task);
            assertEquals(-Errno.EIO, w.ret());
            assertEquals(0, w.reapErr(), "the reaping returned: its caller took the error into ret");
            assertEquals("drainWait", w.retPc());

            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals("freed", w.ctlState());
            assertEquals(List.of("freed", "freed"), w.requests().stream().map(Batched.RequestView::st).toList());
            assertEquals(Set.of(0, 1), w.okSlots(), "slot 2's bio failed");
            assertEquals(List.of(), rig.violations());

            rig.write(3);
            assertEquals(0, rig.runWriteback("page_index=3"));
            assertEquals(2, w.requests().size(), "a new wb_ctl: only its own requests");
            assertEquals(Set.of(3), w.okSlots(), "only this writeback's bios");
        }
    }

    @Test
    void batchedCompletionReinitCountsItsRequestsInFlight() {
        try (Rig rig = new Rig(Variant.only(Design.BATCHED, Defect.COMPLETION_REINIT), 4, 8, 2)) {
            Batched w = (Batched) rig.wb;
            rig.write(0);
            rig.write(1);
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.settle(task);
            assertEquals(Set.of(0, 1), Set.copyOf(w.inflightReqs()));
            assertEquals(0, w.doneCount());
            rig.finish(task);
        }
    }

    @Test
    void multipage() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE), 4, 8, 2)) {
            MultiPage w = (MultiPage) rig.wb;
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            assertEquals(List.of(), w.requests());
            assertEquals(-1, w.reqIndex());
            assertEquals(0, w.owed());
            assertNull(w.done());
            assertNull(w.poolMem());
            assertEquals(-1, w.requestOf(new Bio(rig.zram.mem)));

            Actor<Integer> task = rig.writeback("page_indexes=0-2");
            rig.settle(task);
            List<MultiPage.RequestView> reqs = w.requests();
            assertEquals(2, reqs.size());
            assertTrue(reqs.stream().allMatch(r -> r.allocated() && !r.completed() && r.hasPage()));
            assertEquals(Set.of(1L, 2L), reqs.stream().map(MultiPage.RequestView::blkIdx).collect(Collectors.toSet()),
                    "alloc_block_bdev() starts at block 1");
            assertEquals(Set.of(1, 2), reqs.stream().map(r -> r.pps().peekIndex()).collect(Collectors.toSet()));
            assertEquals(2, w.owed());
            assertEquals(0, w.cntOff());
            assertNotNull(w.done());
            assertFalse(w.poolMem().freed());
            assertEquals(Set.of(0, 1), requestsOf(rig, w::requestOf));
            assertEquals(List.of(), rig.violations());

            rig.bdev.completeNext(-Errno.EIO).join();
            rig.settle(task);
            assertEquals(-Errno.EIO, w.ret());
            assertEquals(1, w.cntOff(), "the next search starts after the request it took");
            assertEquals(0, w.nrI(), "and found one at its first try");
            assertEquals(2, w.owed());

            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(0, w.owed(), "every bio waited for");
            assertEquals(1, w.drainI());
            assertTrue(w.poolMem().freed());
            assertEquals(List.of(), rig.violations());
        }
    }

    @Test
    void single() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE), 4, 8, 2)) {
            SinglePage w = (SinglePage) rig.wb;
            rig.write(0);
            rig.write(1);
            assertNull(w.locals());
            assertEquals(0, w.carriedBlock());
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.settle(task);
            assertEquals(1, w.carriedBlock(), "block 1 reserved for slot 1, its bio held");
            assertEquals(1, w.locals().pps().peekIndex());
            assertEquals(0, w.locals().ret());
            assertNotNull(w.locals().done());
            assertEquals(List.of(), rig.violations(), "the carried block has its owner");
            rig.bdev.completeNext(-Errno.EIO).join();
            rig.settle(task);
            assertEquals(-Errno.EIO, w.locals().ret());
            assertEquals(0, w.locals().pps().peekIndex());
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(0, w.carriedBlock());
        }
    }

    @Test
    void createPicksTheDesignWithItsDefaults() {
        for (Design d : Design.values()) {
            try (Rig rig = new Rig(Variant.fixed(d))) {
                Writeback w = Writeback.create(rig.zram, Variant.fixed(d));
                assertEquals(d, w.design());
                assertSame(Variant.fixed(d).design(), w.variant().design());
                assertEquals(d.id() + "/fixed", Variant.fixed(d).toString());
            }
        }
    }
}
