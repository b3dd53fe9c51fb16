package dev.zwb.zram;

import dev.zwb.Rig;
import dev.zwb.check.Invariants;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Kasan;
import dev.zwb.sched.Actor;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_SAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shared zram paths: write, read, free, discard, free notification, pp-slots, blocks. */
class ZramTest {

    private final Rig rig = new Rig(Variant.fixed(Design.SINGLE));
    private final Zram zram = rig.zram;

    @AfterEach
    void close() {
        rig.close();
    }

    @Test
    void writesAreVersionedAndReadBackFromMemory() {
        assertEquals(Content.ZERO, zram.zramBioRead(0), "never written: the zero page");
        assertEquals(1, zram.zramBioWrite(0));
        assertEquals(2, zram.zramBioWrite(0));
        assertEquals(new Content(0, 2), zram.zramBioRead(0));
        assertEquals(1, zram.stats.pagesStored.get());
        assertTrue(Invariants.check(zram, rig.wb).isEmpty());
    }

    @Test
    void hugeAndSamePages() {
        zram.zramBioWrite(1, Zram.PageKind.HUGE);
        zram.zramBioWrite(2, Zram.PageKind.SAME);
        assertTrue(zram.table.zramTestFlag(1, ZRAM_HUGE));
        assertTrue(zram.table.zramTestFlag(2, ZRAM_SAME));
        assertEquals(new Content(2, 1), zram.zramBioRead(2));
        zram.zramBioDiscard(1);
        zram.zramBioDiscard(2);
        assertEquals(0, zram.stats.hugePages.get());
        assertEquals(0, zram.stats.samePages.get());
        assertEquals(0, zram.stats.pagesStored.get());
    }

    @Test
    void discardFreesTheSlot() {
        zram.zramBioWrite(0);
        zram.zramBioDiscard(0);
        assertFalse(zram.table.zramAllocated(0));
        assertEquals(Content.ZERO, zram.zramBioRead(0));
        assertEquals(Content.ZERO, zram.ghost.logical(0));
    }

    @Test
    void freeNotifyOnALockedSlotIsAMissedFree() {
        zram.zramBioWrite(0);
        zram.table.zramSlotLock(0);
        assertFalse(zram.zramSlotFreeNotify(0));
        zram.table.zramSlotUnlock(0);
        assertEquals(1, zram.stats.missFree.get());
        assertTrue(zram.table.zramAllocated(0), "the free was lost");
        assertTrue(zram.zramSlotFreeNotify(0));
        assertFalse(zram.table.zramAllocated(0));
    }

    @Test
    void accessClearsIdleAndPpSlot() {
        zram.zramBioWrite(0);
        zram.idleStore();
        assertTrue(zram.table.zramTestFlag(0, ZRAM_IDLE));
        ZramPpCtl ctl = PostProcessing.initPpCtl(zram);
        PostProcessing.scanSlotsForWriteback(zram, PostProcessing.IDLE_WRITEBACK, 0, 4, ctl);
        assertTrue(zram.table.zramTestFlag(0, ZRAM_PP_SLOT));
        zram.zramBioRead(0);
        assertFalse(zram.table.zramTestFlag(0, ZRAM_IDLE));
        assertFalse(zram.table.zramTestFlag(0, ZRAM_PP_SLOT));
        assertTrue(zram.ghost.touchedSinceScan(0));
        PostProcessing.releasePpCtl(zram, ctl);
    }

    @Test
    void scanPlacesSelectsAndReleasesPpSlots() {
        zram.zramBioWrite(0);
        zram.zramBioWrite(1, Zram.PageKind.HUGE);
        zram.zramBioWrite(2);
        zram.zramBioWrite(3, Zram.PageKind.SAME);
        ZramPpCtl ctl = PostProcessing.initPpCtl(zram);
        PostProcessing.scanSlotsForWriteback(zram, PostProcessing.PAGE_WRITEBACK, 0, 4, ctl);
        assertFalse(zram.table.zramTestFlag(3, ZRAM_PP_SLOT), "same-filled slots are skipped");
        ZramPpSlot first = PostProcessing.selectPpSlot(ctl);
        assertEquals(1, first.peekIndex(), "the largest size class first");
        assertSame(first, PostProcessing.selectPpSlot(ctl), "select leaves it in its bucket");
        PostProcessing.releasePpSlot(zram, first);
        assertTrue(first.freed());
        assertFalse(zram.table.zramTestFlag(1, ZRAM_PP_SLOT));
        assertEquals(2, PostProcessing.selectPpSlot(ctl).peekIndex(), "then the last scanned");
        PostProcessing.releasePpCtl(zram, ctl);
        assertFalse(zram.table.zramTestFlag(0, ZRAM_PP_SLOT));
        assertTrue(rig.kernel.kasan.reports().isEmpty());
    }

    @Test
    void allocBlockBdevSkipsBlockZeroReserveDoesNot() {
        long[] got = new long[8];
        for (int i = 0; i < 7; i++) {
            got[i] = zram.allocBlockBdev();
        }
        assertEquals(1, got[0]);
        assertEquals(7, got[6]);
        assertEquals(0, zram.allocBlockBdev(), "full (block 0 unused): 0");
        assertEquals(0, zram.zramReserveBdevBlock(), "block 0 is usable since patch 5/6");
        assertEquals(Zram.INVALID_BDEV_BLOCK, zram.zramReserveBdevBlock());
        assertEquals(8, zram.stats.bdCount.get());
        zram.freeBlockBdev(3);
        zram.zramReleaseBdevBlock(3);
        assertEquals(Kasan.Kind.WARNING, rig.kernel.kasan.reports().get(0).kind(),
                "releasing a free block is a WARN");
    }

    @Test
    void aWrittenBackSlotIsReadFromTheDevice() {
        zram.zramBioWrite(0);
        assertEquals(0, rig.runWriteback("page_index=0"));
        assertTrue(zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
        Actor<Content> reader = rig.read(0);
        rig.bdev.awaitPending(1);
        rig.bdev.completeNext().join();
        assertEquals(new Content(0, 1), reader.join());
        assertEquals(1, zram.stats.bdReads.get());
        zram.zramBioDiscard(0);
        assertEquals(0, zram.stats.bdCount.get(), "freeing a ZRAM_WB slot releases its block");
        assertTrue(Invariants.check(zram, rig.wb).isEmpty());
    }
}
