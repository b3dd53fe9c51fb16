package dev.zwb.zram;

import dev.zwb.kernel.Errno;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_INCOMPRESSIBLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_SAME;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * recompress_store(), scan_slots_for_recompress() and recompress_slot() of
 * raspberrypi/linux @052b6b2d (CONFIG_ZRAM_MULTI_COMP), reduced to what the writeback models
 * read back: the ZRAM_INCOMPRESSIBLE flag, and ZRAM_IDLE cleared on every slot it recompressed.
 * The device has one secondary algorithm (num_active_comps = 2: prio = ZRAM_SECONDARY_COMP,
 * prio_max = 2); no threshold, no max_pages, no algo= or priority=.
 *
 * <p>Simplification: compression is not modelled, so the secondary algorithm never lands an
 * object in a smaller size class: every recompress_slot() ends without a stream at the
 * max priority and marks the slot ZRAM_INCOMPRESSIBLE, as the C does when no secondary algorithm
 * saves memory. The slot's object, size and priority stay (the C keeps them on that path).
 *
 * <p>Locks: 7.x holds dev_lock for write for the whole run (6.19: init_lock for read and
 * pp_in_progress, which makes a writeback started meanwhile return -EAGAIN); either way no
 * writeback runs beside it, and the twin runs it only before the writeback starts.
 */
public final class Recompress {

    /** RECOMPRESS_IDLE, RECOMPRESS_HUGE: recompress_store()'s type= modes. */
    public static final int RECOMPRESS_IDLE = 1;
    public static final int RECOMPRESS_HUGE = 2;
    /** ZRAM_SECONDARY_COMP, and num_active_comps of the model's device. */
    private static final int ZRAM_SECONDARY_COMP = 1;
    private static final int NUM_ACTIVE_COMPS = 2;
    /** get_slot_comp_priority() of every slot: nothing is ever recompressed into a new object. */
    private static final int SLOT_PRIO = 0;

    private Recompress() {
    }

    /**
     * recompress_store() with {@code buf} "" (every slot), "type=idle", "type=huge" or
     * "type=huge_idle". Returns 0, or -EINVAL for another argument.
     */
    public static int recompressStore(Zram zram, String buf) {
        int mode;
        switch (buf.trim()) {
            case "" -> mode = 0;
            case "type=idle" -> mode = RECOMPRESS_IDLE;
            case "type=huge" -> mode = RECOMPRESS_HUGE;
            case "type=huge_idle" -> mode = RECOMPRESS_IDLE | RECOMPRESS_HUGE;
            default -> {
                return -Errno.EINVAL;
            }
        }
        int prio = ZRAM_SECONDARY_COMP;
        int prioMax = NUM_ACTIVE_COMPS;
        zram.initLock.downWrite(); // guard(rwsem_write)(&zram->dev_lock)
        try {
            ZramPpCtl ctl = PostProcessing.initPpCtl(zram);
            scanSlotsForRecompress(zram, mode, prioMax, ctl);
            int ret = 0;
            ZramPpSlot pps;
            while ((pps = PostProcessing.selectPpSlot(ctl)) != null) {
                int index = ZramPpSlot.index(zram.kernel, pps);
                zram.table.zramSlotLock(index);
                int err = 0;
                if (zram.table.zramTestFlag(index, ZRAM_PP_SLOT)) {
                    err = recompressSlot(zram, index, prio, prioMax);
                }
                zram.table.zramSlotUnlock(index);
                PostProcessing.releasePpSlot(zram, pps);
                if (err != 0) {
                    ret = err;
                    break;
                }
            }
            PostProcessing.releasePpCtl(zram, ctl);
            return ret;
        } finally {
            zram.initLock.upWrite();
        }
    }

    /**
     * scan_slots_for_recompress(): under each slot's lock, an allocated slot that matches the
     * mode and is neither ZRAM_WB, ZRAM_SAME nor ZRAM_INCOMPRESSIBLE becomes a pp-slot (every
     * slot is at priority 0 here, below prio_max - 1).
     */
    private static void scanSlotsForRecompress(Zram zram, int mode, int prioMax, ZramPpCtl ctl) {
        ZramTable t = zram.table;
        for (int index = 0; index < t.nrSlots(); index++) {
            t.zramSlotLock(index);
            if (t.zramAllocated(index)
                    && !((mode & RECOMPRESS_IDLE) != 0 && !t.zramTestFlag(index, ZRAM_IDLE))
                    && !((mode & RECOMPRESS_HUGE) != 0 && !t.zramTestFlag(index, ZRAM_HUGE))
                    && !t.zramTestFlag(index, ZRAM_WB) && !t.zramTestFlag(index, ZRAM_SAME)
                    && !t.zramTestFlag(index, ZRAM_INCOMPRESSIBLE)
                    && SLOT_PRIO + 1 < prioMax) { // get_slot_comp_priority() + 1 < prio_max
                PostProcessing.placePpSlot(zram, ctl, index);
            }
            t.zramSlotUnlock(index);
        }
    }

    /**
     * recompress_slot(), the slot locked: no handle -> -EINVAL; read the object; clear ZRAM_IDLE;
     * try each secondary algorithm from prio up (none saves memory here, see the class notes);
     * none did and the max priority was tried -> ZRAM_INCOMPRESSIBLE.
     */
    private static int recompressSlot(Zram zram, int index, int prio, int prioMax) {
        ZramTable t = zram.table;
        if (t.zramGetHandle(index) == 0) {
            return -Errno.EINVAL;
        }
        t.zramClearFlag(index, ZRAM_IDLE);
        prio = Math.max(prio, SLOT_PRIO + 1); // max(prio, get_slot_comp_priority() + 1)
        if (prio >= prioMax) {
            return 0;
        }
        // for (; prio < prio_max; prio++): no secondary algorithm lands the object in a smaller
        // size class (see the class notes), so the loop ends at prio_max without a stream
        prio = prioMax;
        if (prio < NUM_ACTIVE_COMPS) {
            return 0;
        }
        t.zramSetFlag(index, ZRAM_INCOMPRESSIBLE);
        return 0;
    }
}
