package dev.zwb.writeback;

import dev.zwb.zram.PostProcessing;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramTable;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_INCOMPRESSIBLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * The batched spec's HugePagesAccounted, PagesStoredAccounted and PpSlotsMatchMode
 * (spec/ZramBatched.tla, "Slot flags and accounting"): huge_pages counts the ZRAM_HUGE slots not
 * on the backing device, pages_stored the allocated slots, and a pp-slot waiting for the
 * writeback has the flags scan_slots_for_writeback()'s mode selects on. Observations only; the
 * caller holds no lock, so a slot being changed (locked) is left out of the mode check.
 */
final class SlotAccounting {

    private SlotAccounting() {
    }

    static void check(Zram zram, int mode, Writeback.Findings sink) {
        ZramTable t = zram.table;
        long huge = 0;
        long stored = 0;
        for (int i = 0; i < t.nrSlots(); i++) {
            boolean wb = t.zramTestFlag(i, ZRAM_WB);
            if (t.zramTestFlag(i, ZRAM_HUGE) && !wb) {
                huge++;
            }
            if (t.zramAllocated(i)) {
                stored++;
            }
            if (!t.isLocked(i) && t.zramTestFlag(i, ZRAM_PP_SLOT) && !wb && !matchesMode(t, i, mode)) {
                sink.report("PpSlotsMatchMode", "slot " + i + " is a pp-slot without the flags of mode " + mode);
            }
        }
        long hugePages = zram.stats.hugePages.get();
        if (hugePages != huge) {
            sink.report("HugePagesAccounted", "huge_pages is " + hugePages + ", ZRAM_HUGE slots not written back: " + huge);
        }
        long pagesStored = zram.stats.pagesStored.get();
        if (pagesStored != stored) {
            sink.report("PagesStoredAccounted", "pages_stored is " + pagesStored + ", allocated slots: " + stored);
        }
    }

    /** scan_slots_for_writeback()'s mode tests. */
    private static boolean matchesMode(ZramTable t, int i, int mode) {
        return !((mode & PostProcessing.IDLE_WRITEBACK) != 0 && !t.zramTestFlag(i, ZRAM_IDLE))
                && !((mode & PostProcessing.HUGE_WRITEBACK) != 0 && !t.zramTestFlag(i, ZRAM_HUGE))
                && !((mode & PostProcessing.INCOMPRESSIBLE_WRITEBACK) != 0 && !t.zramTestFlag(i, ZRAM_INCOMPRESSIBLE));
    }
}
