package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * writeback_store()'s edges: the page range, init_lock on the -EAGAIN return, which lock the
 * v6.19 limit stores take, req_prealloc's size, and the ghost of successful writes.
 */
class WritebackStoreTest {

    @Test
    void aPageRangeMustEndInsideTheDevice() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(3);
            assertEquals(-Errno.ERANGE, rig.runWriteback("page_index=4"), "4 slots: 0..3");
            assertEquals(-Errno.ERANGE, rig.runWriteback("page_indexes=2-4"));
            assertEquals(-Errno.ERANGE, rig.runWriteback("page_indexes=3-2"));
            assertEquals(0, rig.runWriteback("page_indexes=2-3"));
            assertTrue(rig.zram.table.zramTestFlag(3, dev.zwb.zram.ZramTable.ZRAM_WB));
            assertEquals(List.of(), rig.violations());
        }
    }

    /**
     * next_arg() splits at the first '=' after the first character: "=idle" is a name without a
     * value, so the legacy mode parse refuses it; "=a=idle" is the unknown name "=a", ignored.
     */
    @Test
    void aLeadingEqualsSignIsPartOfTheName() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(0);
            rig.zram.idleStore();
            assertEquals(-Errno.EINVAL, rig.runWriteback("=idle"));
            assertEquals(0, rig.runWriteback("=a=idle"));
            assertFalse(rig.zram.table.zramTestFlag(0, dev.zwb.zram.ZramTable.ZRAM_WB), "neither wrote back");
            assertEquals(0, rig.runWriteback("idle"));
            assertTrue(rig.zram.table.zramTestFlag(0, dev.zwb.zram.ZramTable.ZRAM_WB));
        }
    }

    /** v6.19 (batched, as released): a second writeback finds pp_in_progress, drops init_lock, -EAGAIN. */
    @Test
    void aBusyWritebackLeavesInitLockAsItFoundIt() {
        try (Rig rig = new Rig(Variant.asReleased(Design.BATCHED))) {
            rig.write(0);
            Actor<Integer> first = rig.writeback("page_index=0");
            rig.settle(first);
            assertEquals(-Errno.EAGAIN, rig.wb.writebackStore("page_index=0"));
            assertEquals(0, rig.finish(first));
            assertFalse(rig.zram.initLock.held(), "both writebacks released init_lock");
            assertEquals(List.of(), rig.violations());
        }
    }

    /** v6.19 (patch 3/6): the limit stores take init_lock for write, so they wait for a writeback. */
    @Test
    void aV619LimitStoreWaitsForTheWriteback() {
        try (Rig rig = new Rig(Variant.asReleased(Design.BATCHED))) {
            rig.write(0);
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task);
            Actor<Void> store = rig.track(Actor.run("store", () -> rig.zram.writebackLimitStore(5)));
            rig.settle(store); // it returns, or sleeps on init_lock (a kernel wait)
            assertFalse(store.returnedWithin(Duration.ZERO), "asleep on init_lock, held for read by the writeback");
            assertEquals(0, rig.finish(task));
            store.join();
            assertEquals(5, rig.zram.bdWbLimit());
        }
    }

    @Test
    void reqPreallocHoldsAtLeastOneRequest() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE))) {
            MultiPage w = (MultiPage) rig.wb;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> w.setPreallocCnt(0));
            assertEquals("req_prealloc must hold at least 1 request, not 0", e.getMessage());
            w.setPreallocCnt(1);
        }
    }

    @Test
    void successfulWritesAreThoseOfTheLastWriteback() {
        for (Design d : Design.values()) {
            try (Rig rig = new Rig(Variant.fixed(d))) {
                rig.write(0);
                rig.write(1);
                assertEquals(0, rig.runWriteback("page_index=0"));
                assertEquals(java.util.Set.of(0), rig.wb.successfulWrites(), d.toString());
                assertEquals(0, rig.runWriteback("page_index=1"));
                assertEquals(java.util.Set.of(1), rig.wb.successfulWrites(), d + ": cleared at the start");
            }
        }
    }
}
