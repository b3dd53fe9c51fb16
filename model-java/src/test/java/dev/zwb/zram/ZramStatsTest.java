package dev.zwb.zram;

import dev.zwb.Rig;
import dev.zwb.kernel.Content;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What zram_write_page() and zram_free_page() keep besides the data: the counters of struct
 * zram_stats (pages_stored, same_pages, huge_pages, compr_data_size), the zsmalloc object or
 * fill value the slot gave up, and the flags a freed slot loses. Counted after every step, so
 * that a counter moved the wrong way and moved back later still shows.
 */
class ZramStatsTest {

    private final Rig rig = new Rig(Variant.fixed(Design.SINGLE));
    private final Zram zram = rig.zram;

    @AfterEach
    void close() {
        rig.close();
    }

    /** pages_stored, same_pages, huge_pages, compr_data_size, in that order. */
    private void assertStats(long stored, long same, long huge, long comprBytes, String when) {
        assertEquals(stored, zram.stats.pagesStored.get(), "pages_stored " + when);
        assertEquals(same, zram.stats.samePages.get(), "same_pages " + when);
        assertEquals(huge, zram.stats.hugePages.get(), "huge_pages " + when);
        assertEquals(comprBytes, zram.stats.comprDataSize.get(), "compr_data_size " + when);
    }

    @Test
    void eachKindOfPageIsCountedWhereTheCCountsIt() {
        zram.zramBioWrite(0);
        assertStats(1, 0, 0, Zram.COMPRESSED_SIZE, "after a compressible page");
        zram.zramBioWrite(1, Zram.PageKind.HUGE);
        assertStats(2, 0, 1, Zram.COMPRESSED_SIZE + Zram.PAGE_SIZE, "after a huge page");
        zram.zramBioWrite(2, Zram.PageKind.SAME);
        assertStats(3, 1, 1, Zram.COMPRESSED_SIZE + Zram.PAGE_SIZE, "after a same-filled page: no bytes");
        zram.zramBioWrite(0, Zram.PageKind.SAME);
        assertStats(3, 2, 1, Zram.PAGE_SIZE, "after overwriting the compressible page with a same-filled one");
        zram.zramBioDiscard(1);
        assertStats(2, 2, 0, 0, "after discarding the huge page");
        zram.zramBioDiscard(2);
        assertStats(1, 1, 0, 0, "after discarding a same-filled page");
        assertTrue(zram.zramSlotFreeNotify(0));
        assertStats(0, 0, 0, 0, "after the last free");
    }

    @Test
    void comprDataSizeFollowsTheObjectSize() {
        assertEquals(1, zram.zramBioWrite(0, 100), "the first version");
        assertStats(1, 0, 0, 100, "after a 100-byte object");
        zram.zramBioWrite(0, 300);
        assertStats(1, 0, 0, 300, "after overwriting it with a 300-byte object");
        zram.zramBioWrite(1, 50);
        assertStats(2, 0, 0, 350, "after a second slot");
        zram.zramBioDiscard(0);
        assertStats(1, 0, 0, 50, "after discarding the 300-byte object");
    }

    @Test
    void aCompressedSizeMustBeBelowAPage() {
        for (int bad : new int[] {0, -1, Zram.PAGE_SIZE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> zram.zramBioWrite(0, bad));
            assertEquals("compressed size " + bad + " is not in 1.." + (Zram.PAGE_SIZE - 1), e.getMessage());
        }
        assertEquals(1, zram.zramBioWrite(0, 1));
        assertEquals(2, zram.zramBioWrite(0, Zram.PAGE_SIZE - 1));
        assertStats(1, 0, 0, Zram.PAGE_SIZE - 1, "after the largest compressible object");
    }

    @Test
    void anOverwriteFreesTheOldObject() {
        zram.zramBioWrite(0);
        long old = zram.table.zramGetHandle(0);
        assertEquals(new Content(0, 1), zram.zsPool.zsObjRead(old));
        zram.zramBioWrite(0);
        assertFalse(zram.zsPool.live(old), "zs_free() of the old handle");
        long second = zram.table.zramGetHandle(0);
        zram.zramBioDiscard(0);
        assertFalse(zram.zsPool.live(second), "zs_free() on discard");
        assertEquals(0, zram.table.zramGetHandle(0));
    }

    @Test
    void aFreedSameFilledSlotGivesUpItsFillValue() {
        zram.zramBioWrite(0, Zram.PageKind.SAME);
        long fill = zram.table.zramGetHandle(0);
        assertEquals(new Content(0, 1), zram.zsPool.readFill(fill));
        zram.zramBioWrite(0, Zram.PageKind.SAME);
        assertEquals(Content.ZERO, zram.zsPool.readFill(fill), "the old fill value went with the old page");
        assertEquals(new Content(0, 2), zram.zramBioRead(0));
    }

    @Test
    void aFreedSlotIsNoLongerIdle() {
        zram.zramBioWrite(0);
        zram.zramBioWrite(1);
        zram.idleStore();
        assertTrue(zram.table.zramTestFlag(0, ZRAM_IDLE));
        assertTrue(zram.table.zramTestFlag(1, ZRAM_IDLE));
        zram.zramBioDiscard(0);
        assertFalse(zram.table.zramTestFlag(0, ZRAM_IDLE), "zram_free_page() clears ZRAM_IDLE");
        assertTrue(zram.zramSlotFreeNotify(1));
        assertFalse(zram.table.zramTestFlag(1, ZRAM_IDLE), "and so does the free notification");
    }

    @Test
    void idleMarkingSkipsFreeSameFilledSlots() {
        zram.zramBioWrite(0, Zram.PageKind.SAME);
        zram.idleStore();
        assertFalse(zram.table.zramTestFlag(0, ZRAM_IDLE), "mark_idle() skips ZRAM_SAME");
        assertFalse(zram.table.zramTestFlag(1, ZRAM_IDLE), "and slots that hold nothing");
    }

    /**
     * 7.0's completion (batched, fixed) keeps ZRAM_HUGE and drops huge_pages itself; v6.19's
     * (as released) calls slot_free(), then sets ZRAM_WB and counts the page stored again. Either
     * way the page stays stored, on the device, its object and bytes leave memory, and freeing
     * the slot later does not drop huge_pages a second time.
     */
    @Test
    void aWrittenBackPageLeavesMemoryButStaysStored() {
        for (Variant v : List.of(Variant.fixed(Design.BATCHED), Variant.asReleased(Design.BATCHED))) {
            try (Rig batched = new Rig(v)) {
                writeBackAHugeAndASmallPage(batched);
                Zram z = batched.zram;
                boolean mainline = v.equals(Variant.fixed(Design.BATCHED));
                assertEquals(mainline, z.table.zramTestFlag(0, ZramTable.ZRAM_HUGE), v + ": ZRAM_HUGE on the device copy");
                z.zramBioDiscard(0);
                assertEquals(0, z.stats.hugePages.get(), v + ": huge_pages dropped once");
                assertEquals(1, z.stats.pagesStored.get(), v + ": pages_stored");
                assertEquals(1, z.stats.bdCount.get(), v + ": bd_count");
                assertEquals(Set.of(), batched.broken(), v.toString());
            }
        }
    }

    private static void writeBackAHugeAndASmallPage(Rig rig) {
        Zram z = rig.zram;
        z.zramBioWrite(0, Zram.PageKind.HUGE);
        z.zramBioWrite(1, 100);
        long hugeHandle = z.table.zramGetHandle(0);
        long smallHandle = z.table.zramGetHandle(1);
        z.idleStore();
        assertEquals(0, rig.runWriteback("page_index=1"));
        assertEquals(1, z.stats.hugePages.get(), "the small page leaves huge_pages alone");
        assertEquals(Zram.PAGE_SIZE, z.stats.comprDataSize.get());
        assertEquals(0, rig.runWriteback("page_index=0"));
        assertFalse(z.table.zramTestFlag(0, ZRAM_IDLE), "the completion clears ZRAM_IDLE");
        assertFalse(z.table.zramTestFlag(1, ZRAM_IDLE));
        assertTrue(z.table.zramTestFlag(0, ZramTable.ZRAM_WB));
        assertTrue(z.table.zramTestFlag(1, ZramTable.ZRAM_WB));
        assertEquals(2, z.stats.pagesStored.get(), "both pages are still stored");
        assertEquals(0, z.stats.hugePages.get(), "huge_pages counts pages in memory");
        assertEquals(0, z.stats.comprDataSize.get(), "no bytes left in zsmalloc");
        assertFalse(z.zsPool.live(hugeHandle), "zs_free() of the huge object");
        assertFalse(z.zsPool.live(smallHandle), "zs_free() of the small object");
        assertEquals(2, z.stats.bdCount.get());
    }
}
