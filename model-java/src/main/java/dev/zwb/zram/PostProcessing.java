package dev.zwb.zram;

import dev.zwb.kernel.ListHead;
import dev.zwb.kernel.Mutant;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_INCOMPRESSIBLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_SAME;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * Post-processing target selection (zram_drv.c, "zram: optimal post-processing target
 * selection", v6.13): init_pp_ctl(), place_pp_slot(), select_pp_slot(), release_pp_slot(),
 * release_pp_ctl(), scan_slots_for_writeback(). The same in all three designs.
 */
public final class PostProcessing {

    /** Writeback modes of scan_slots_for_writeback(); 0 (PAGE_WRITEBACK) takes every slot. */
    public static final int PAGE_WRITEBACK = 0;
    public static final int HUGE_WRITEBACK = 1;
    public static final int IDLE_WRITEBACK = 1 << 1;
    public static final int INCOMPRESSIBLE_WRITEBACK = 1 << 2;

    private PostProcessing() {
    }

    /** init_pp_ctl(). */
    public static ZramPpCtl initPpCtl(Zram zram) {
        return new ZramPpCtl(zram.kernel);
    }

    /**
     * release_pp_slot(): out of its bucket, ZRAM_PP_SLOT cleared under the slot lock, kfree().
     * Touches the pp-slot, so releasing a released one is a use-after-free and a double free.
     */
    public static void releasePpSlot(Zram zram, ZramPpSlot pps) {
        int index = ZramPpSlot.index(zram.kernel, pps);
        pps.listDelInit();
        zram.table.zramSlotLock(index);
        zram.table.zramClearFlag(index, ZRAM_PP_SLOT);
        zram.table.zramSlotUnlock(index);
        pps.kfree();
    }

    /**
     * release_pp_ctl(): releases what is left in the buckets, then the ctl. The caller
     * (writeback_store) passes the label {@code releaseCtl} before it; each pp-slot released is
     * one step, after which the label is passed again (as the specs step through it).
     */
    public static void releasePpCtl(Zram zram, ZramPpCtl ctl) {
        if (ctl == null) {
            return;
        }
        for (ListHead<ZramPpSlot> bucket : ctl.ppBuckets) {
            ZramPpSlot pps;
            while ((pps = ListHead.listFirstEntryOrNull(bucket)) != null) {
                releasePpSlot(zram, pps);
                zram.kernel.at("releaseCtl");
            }
        }
        ctl.kfree();
    }

    /**
     * place_pp_slot(), with the slot locked: a pp-slot into the bucket of the slot's size class,
     * and ZRAM_PP_SLOT set. (kmalloc never fails in the model.)
     */
    public static boolean placePpSlot(Zram zram, ZramPpCtl ctl, int index) {
        ZramPpSlot pps = new ZramPpSlot(zram.kernel, index, ctl.scanVisits + 1);
        int bid = zram.table.zramGetObjSize(index) / ZramPpCtl.PP_BUCKET_SIZE_RANGE;
        ListHead.listAdd(pps.entry, ctl.ppBuckets[bid]);
        ctl.placed.add(pps);
        zram.table.zramSetFlag(index, ZRAM_PP_SLOT);
        zram.ghost.scanned(index);
        return true;
    }

    /**
     * select_pp_slot(): the first pp-slot of the highest non-empty bucket, left in its bucket.
     * list_add() puts new entries at the head, so within a size class the slot scanned last
     * comes first.
     */
    public static ZramPpSlot selectPpSlot(ZramPpCtl ctl) {
        for (int idx = ZramPpCtl.NUM_PP_BUCKETS - 1; idx >= 0; idx--) {
            ZramPpSlot pps = ListHead.listFirstEntryOrNull(ctl.ppBuckets[idx]);
            if (pps != null) {
                return pps;
            }
        }
        return null;
    }

    /**
     * scan_slots_for_writeback(): every slot in [lo, hi) that holds data in memory, is not
     * same-filled and matches {@code mode} becomes a pp-slot. One step per slot (spec label
     * {@code scan}). A slot that is already a pp-slot is placed again (duplicate pp-slots; docs/single.md).
     */
    public static void scanSlotsForWriteback(Zram zram, int mode, int lo, int hi, ZramPpCtl ctl) {
        ZramTable table = zram.table;
        for (int index = lo; index < hi; index++) {
            zram.kernel.at("scan");
            table.zramSlotLock(index);
            boolean ok = true;
            if (table.zramAllocated(index)
                    && !table.zramTestFlag(index, ZRAM_WB)
                    && !table.zramTestFlag(index, ZRAM_SAME)
                    && !((mode & IDLE_WRITEBACK) != 0 && !table.zramTestFlag(index, ZRAM_IDLE))
                    && !((mode & HUGE_WRITEBACK) != 0 && !table.zramTestFlag(index, ZRAM_HUGE)
                        && !zram.kernel.mutant(Mutant.SCAN_IGNORES_HUGE))
                    && !((mode & INCOMPRESSIBLE_WRITEBACK) != 0
                        && !table.zramTestFlag(index, ZRAM_INCOMPRESSIBLE))) {
                ok = placePpSlot(zram, ctl, index);
            }
            ctl.scanVisits++;
            table.zramSlotUnlock(index);
            if (!ok) {
                break;
            }
        }
    }
}
