package dev.zwb.zram;

import dev.zwb.Rig;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.Oops;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;

import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Post-processing target selection beyond ZramTest's round trip: the scan's mode filters, the
 * pp-slots a ctl placed, release_pp_ctl()'s steps, the pp-slot's memory checks, and the write's
 * zram_accessed() that takes a freshly written slot out of idle writeback.
 */
class PostProcessingTest {

    private final Rig rig = new Rig(Variant.fixed(Design.SINGLE));
    private final Zram zram = rig.zram;

    @AfterEach
    void close() {
        rig.close();
    }

    private ZramPpCtl scan(int mode) {
        ZramPpCtl ctl = PostProcessing.initPpCtl(zram);
        PostProcessing.scanSlotsForWriteback(zram, mode, 0, zram.table.nrSlots(), ctl);
        return ctl;
    }

    private static List<Integer> indexes(List<ZramPpSlot> slots) {
        return slots.stream().map(ZramPpSlot::peekIndex).toList();
    }

    @Test
    void eachModeTakesOnlyItsSlots() {
        zram.zramBioWrite(0);
        zram.zramBioWrite(1, Zram.PageKind.HUGE);
        zram.zramBioWrite(2);
        zram.idleStore();
        zram.zramBioWrite(2); // written again: not idle
        ZramPpCtl incompressible = scan(PostProcessing.INCOMPRESSIBLE_WRITEBACK);
        assertEquals(List.of(), incompressible.placed(), "the model never sets ZRAM_INCOMPRESSIBLE");
        PostProcessing.releasePpCtl(zram, incompressible);
        ZramPpCtl huge = scan(PostProcessing.HUGE_WRITEBACK);
        assertEquals(List.of(1), indexes(huge.placed()));
        PostProcessing.releasePpCtl(zram, huge);
        ZramPpCtl idle = scan(PostProcessing.IDLE_WRITEBACK);
        assertEquals(List.of(0, 1), indexes(idle.placed()));
        PostProcessing.releasePpCtl(zram, idle);
        ZramPpCtl all = scan(PostProcessing.PAGE_WRITEBACK);
        assertEquals(List.of(0, 1, 2), indexes(all.placed()), "in scan order");
        assertEquals(4, all.scanVisits());
        assertEquals(List.of(1, 2, 3), all.placed().stream().map(ZramPpSlot::peekScanPos).toList(),
                "each pp-slot names the scan position that placed it");
        assertEquals(List.of(1, 2, 0), indexes(all.peekPpSlots()), "the huge bucket first, then the last scanned");
        PostProcessing.releasePpCtl(zram, all);
        assertTrue(rig.kernel.kasan.reports().isEmpty());
    }

    @Test
    void anObjectUnder64BytesIsInBucketZeroAndStillSelected() {
        zram.zramBioWrite(0, 10);
        ZramPpCtl ctl = scan(PostProcessing.PAGE_WRITEBACK);
        assertEquals(0, PostProcessing.selectPpSlot(ctl).peekIndex(), "select_pp_slot() walks down to bucket 0");
        assertEquals(List.of(0), indexes(ctl.peekPpSlots()), "and so does the mapping's view");
        PostProcessing.releasePpCtl(zram, ctl);
    }

    @Test
    void releasePpCtlTakesOneStepPerPpSlot() {
        zram.zramBioWrite(0);
        zram.zramBioWrite(1);
        zram.zramBioWrite(2);
        ZramPpCtl ctl = scan(PostProcessing.PAGE_WRITEBACK);
        List<ZramPpSlot> placed = ctl.placed();
        PostProcessing.releasePpSlot(zram, PostProcessing.selectPpSlot(ctl));
        int before = Collections.frequency(rig.log.labels(""), "releaseCtl");
        PostProcessing.releasePpCtl(zram, ctl);
        assertEquals(2, Collections.frequency(rig.log.labels(""), "releaseCtl") - before,
                "one releaseCtl step after each of the two pp-slots left");
        assertTrue(placed.stream().allMatch(ZramPpSlot::freed));
        assertTrue(ctl.freed());
        for (int i = 0; i < 3; i++) {
            assertFalse(zram.table.zramTestFlag(i, ZRAM_PP_SLOT));
        }
        PostProcessing.releasePpCtl(zram, null); // the C's release_pp_ctl(NULL) returns at once
    }

    @Test
    void aPpSlotIsInItsBucketUntilReleased() {
        zram.zramBioWrite(0);
        ZramPpCtl ctl = scan(PostProcessing.PAGE_WRITEBACK);
        ZramPpSlot pps = PostProcessing.selectPpSlot(ctl);
        assertTrue(pps.inBucket());
        assertEquals(0, ZramPpSlot.index(rig.kernel, pps));
        pps.listDelInit();
        assertFalse(pps.inBucket());
        PostProcessing.releasePpCtl(zram, ctl);
        assertTrue(rig.kernel.kasan.reports().isEmpty());
    }

    @Test
    void ppsIndexOfAFreedOrNullPpSlotIsReported() {
        zram.zramBioWrite(0);
        ZramPpCtl ctl = scan(PostProcessing.PAGE_WRITEBACK);
        ZramPpSlot pps = PostProcessing.selectPpSlot(ctl);
        PostProcessing.releasePpSlot(zram, pps);
        assertEquals(0, ZramPpSlot.index(rig.kernel, pps), "the stale load still returns the index");
        assertEquals(List.of(Kasan.Kind.USE_AFTER_FREE),
                rig.kernel.kasan.reports().stream().map(Kasan.Report::kind).toList());
        assertThrows(Oops.class, () -> ZramPpSlot.index(rig.kernel, null));
        assertEquals(List.of(Kasan.Kind.USE_AFTER_FREE, Kasan.Kind.NULL_DEREF),
                rig.kernel.kasan.reports().stream().map(Kasan.Report::kind).toList());
        PostProcessing.releasePpCtl(zram, ctl);
    }

    /**
     * zram_bio_write() installs the page, drops the slot lock, then takes it again for
     * zram_accessed(): an idle marking that lands in between is undone, so idle writeback does
     * not take a page written a moment ago.
     */
    @Test
    void aWriteMarksItsSlotAccessedAfterInstalling() {
        zram.zramBioWrite(0);
        StepGate.Pause accessed = rig.gate.pauseAt("writeAccessed", "writer");
        Actor<Long> writer = rig.track(Actor.start("writer", () -> zram.zramBioWrite(0)));
        accessed.awaitArrival();
        zram.idleStore();
        assertTrue(zram.table.zramTestFlag(0, ZRAM_IDLE), "installed and not yet accessed: idle");
        accessed.release();
        assertEquals(2, writer.join());
        assertFalse(zram.table.zramTestFlag(0, ZRAM_IDLE), "zram_accessed() cleared it");
        ZramPpCtl idle = scan(PostProcessing.IDLE_WRITEBACK);
        assertEquals(List.of(), idle.placed());
        PostProcessing.releasePpCtl(zram, idle);
    }
}
