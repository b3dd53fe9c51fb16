package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.zram.Recompress;
import dev.zwb.zram.Zram;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_INCOMPRESSIBLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_WB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The writeback modes and the huge_pages / pages_stored accounting of batched writeback
 * (raspberrypi/linux @052b6b2d; 6.19 where it differs), in both directions: each switch breaks
 * its invariant, the fix passes the same walk. The spec's models: batched/fixed-huge,
 * fixed-huge-idle, v619-huge, scan-ignores-mode, wb-keeps-huge-count, wb-drops-pages-stored,
 * v619-mark-idle, v619-mark-idle-all, mainline-mark-idle, fixed-incompressible.
 */
class SlotFlagsTest {

    private static final Variant FIXED = Variant.fixed(Design.BATCHED);
    /** v6.19 with both 2026 fixes and the read fix (the spec's Kernel = "6.19", no switch). */
    private static final Variant V619 = new Variant(Design.BATCHED, "as-released", EnumSet.noneOf(Defect.class));

    /** Slot 0 stored whole (ZRAM_HUGE), slot 1 compressible; writeback with {@code args}. */
    private static Set<Invariant> hugeThenWriteback(Variant v, String args) {
        try (Rig rig = new Rig(v)) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.write(1);
            assertEquals(0, rig.runWriteback(args));
            return rig.broken();
        }
    }

    @Test
    void typeHugeWritesBackOnlyTheHugeSlotAndKeepsItsFlag() {
        try (Rig rig = new Rig(FIXED)) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.write(1);
            assertEquals(2, rig.zram.stats.pagesStored.get());
            assertEquals(1, rig.zram.stats.hugePages.get());
            assertEquals(0, rig.runWriteback("type=huge"));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_WB));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_HUGE), "7.0: the completion keeps ZRAM_HUGE");
            assertFalse(rig.zram.table.zramTestFlag(1, ZRAM_WB), "slot 1 is not ZRAM_HUGE");
            assertEquals(0, rig.zram.stats.hugePages.get(), "huge_pages: no ZRAM_HUGE slot left in memory");
            assertEquals(2, rig.zram.stats.pagesStored.get(), "a written-back page is still stored");
            rig.zram.zramSlotFreeNotify(0);
            assertEquals(0, rig.zram.stats.hugePages.get(), "slot_free() skips the count of a ZRAM_WB slot");
            assertEquals(1, rig.zram.stats.pagesStored.get());
            assertEquals(Set.of(), rig.broken());
        }
    }

    @Test
    void v619sCompletionClearsHugeAndItsCount() {
        try (Rig rig = new Rig(Variant.asReleased(Design.BATCHED))) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            assertEquals(0, rig.runWriteback("type=huge"));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_WB));
            assertFalse(rig.zram.table.zramTestFlag(0, ZRAM_HUGE), "6.19: slot_free() cleared it");
            assertEquals(0, rig.zram.stats.hugePages.get());
            assertEquals(1, rig.zram.stats.pagesStored.get());
            Set<Invariant> broken = rig.broken();
            assertFalse(broken.contains(Invariant.HugePagesAccounted), broken.toString());
            assertFalse(broken.contains(Invariant.PagesStoredAccounted), broken.toString());
        }
    }

    @Test
    void aCompletionThatKeepsTheHugeCountBreaksHugePagesAccounted() {
        assertEquals(Set.of(Invariant.HugePagesAccounted),
                hugeThenWriteback(Variant.only(Design.BATCHED, Defect.WB_KEEPS_HUGE_COUNT), "type=huge"));
        assertEquals(Set.of(), hugeThenWriteback(FIXED, "type=huge"));
    }

    @Test
    void aCompletionThatDropsPagesStoredBreaksPagesStoredAccounted() {
        assertEquals(Set.of(Invariant.PagesStoredAccounted),
                hugeThenWriteback(Variant.only(Design.BATCHED, Defect.WB_DROPS_PAGES_STORED), "page_indexes=0-1"));
        assertEquals(Set.of(), hugeThenWriteback(FIXED, "page_indexes=0-1"));
    }

    @Test
    void aScanThatIgnoresTheModePlacesSlotsWithoutTheFlag() {
        Variant ignores = Variant.only(Design.BATCHED, Defect.SCAN_IGNORES_MODE);
        try (Rig rig = new Rig(ignores)) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.write(1);
            assertEquals(0, rig.runWriteback("type=huge"));
            assertTrue(rig.zram.table.zramTestFlag(1, ZRAM_WB), "slot 1, not ZRAM_HUGE, was written back");
        }
        try (Rig rig = new Rig(FIXED)) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.write(1);
            assertEquals(0, rig.runWriteback("type=huge"));
            assertFalse(rig.zram.table.zramTestFlag(1, ZRAM_WB));
        }
    }

    /**
     * PpSlotsMatchMode while the pp-slots wait for the writeback (parked at its first select):
     * slot 0 is huge and idle, slot 1 neither, nothing is incompressible (no recompression).
     * The scan without its mode tests places what the mode would have left out; the fixed scan
     * places only slots with the mode's flags.
     */
    @Test
    void theModeCheckSeesEveryPpSlotWithoutTheModesFlags() {
        Variant ignores = Variant.only(Design.BATCHED, Defect.SCAN_IGNORES_MODE);
        Map<String, List<String>> withoutTheFlag = Map.of(
                "idle", List.of("slot 1 is a pp-slot without the flags of mode 2"),
                "huge", List.of("slot 1 is a pp-slot without the flags of mode 1"),
                "incompressible", List.of("slot 0 is a pp-slot without the flags of mode 4",
                        "slot 1 is a pp-slot without the flags of mode 4"));
        for (String mode : List.of("idle", "huge", "incompressible")) {
            for (Variant v : List.of(ignores, FIXED)) {
                try (Rig rig = new Rig(v)) {
                    rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
                    rig.zram.idleStore();
                    rig.write(1);
                    StepGate.Pause select = rig.gate.pauseAt("select", "wb-task");
                    Actor<Integer> task = rig.writeback("type=" + mode);
                    select.awaitArrival();
                    List<String> seen = rig.violations().stream()
                            .filter(x -> x.invariant() == Invariant.PpSlotsMatchMode).map(Violation::detail).toList();
                    select.release();
                    assertEquals(0, rig.finish(task));
                    assertEquals(v == FIXED ? List.of() : withoutTheFlag.get(mode), seen, v + ", type=" + mode);
                }
            }
        }
    }

    @Test
    void typeHugeIdleNeedsBothFlags() {
        try (Rig rig = new Rig(FIXED)) {
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            rig.zram.idleStore(); // slot 0 idle
            rig.zram.zramBioWrite(1, Zram.PageKind.HUGE); // slot 1 huge, not idle
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_IDLE));
            assertEquals(0, rig.runWriteback("type=huge_idle"));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_WB));
            assertFalse(rig.zram.table.zramTestFlag(0, ZRAM_IDLE), "the completion clears ZRAM_IDLE");
            assertFalse(rig.zram.table.zramTestFlag(1, ZRAM_WB));
            assertEquals(1, rig.zram.stats.hugePages.get());
            assertEquals(Set.of(), rig.broken());
        }
    }

    /**
     * Both slots idle, a type=idle writeback stopped after its scan placed them, then idle_store()
     * with {@code buf}. 6.19: mark_idle() takes init_lock for read and runs now; 7.x: it sleeps on
     * dev_lock, which the writeback holds for write, and runs after it. Returns what is broken
     * once idle_store() has run or gone to sleep, the writeback still stopped (the state TLC
     * reports); the writeback then writes slot 0 back either way.
     */
    private static Set<Invariant> idleStoreAfterTheScan(Variant v, String buf, boolean runsBeside) {
        try (Rig rig = new Rig(v)) {
            rig.write(0);
            rig.write(1);
            rig.zram.idleStore();
            StepGate.Pause select = rig.gate.pauseAt("select", "wb-task");
            Actor<Integer> task = rig.writeback("type=idle");
            select.awaitArrival();
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_PP_SLOT), "the scan placed slot 0");
            Actor<Integer> marker = rig.track(Actor.start("mark-idle", () -> rig.zram.idleStore(buf)));
            rig.settle(marker);
            assertEquals(runsBeside, marker.returnedWithin(Duration.ZERO),
                    runsBeside ? "6.19: init_lock is shared" : "7.x: dev_lock is held for write");
            Set<Invariant> broken = rig.broken();
            select.release();
            assertEquals(0, rig.finish(task));
            assertEquals(0, rig.finish(marker));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_WB), "slot 0 was written back");
            assertEquals(Set.of(), rig.broken());
            return broken;
        }
    }

    @Test
    void anAgedIdleStoreBesideA619WritebackUnidlesAPpSlotThatIsStillWrittenBack() {
        assertEquals(Set.of(Invariant.PpSlotsMatchMode), idleStoreAfterTheScan(V619, "3600", true));
        assertEquals(Set.of(), idleStoreAfterTheScan(FIXED, "3600", false), "7.x: it waits for the writeback");
    }

    @Test
    void idleStoreAllBesideA619WritebackKeepsTheModesFlags() {
        assertEquals(Set.of(), idleStoreAfterTheScan(V619, "all", true));
    }

    @Test
    void idleStoreRefusesWhatIsNeitherAllNorAnAge() {
        try (Rig rig = new Rig(FIXED)) {
            assertEquals(-Errno.EINVAL, rig.zram.idleStore("0"));
            assertEquals(-Errno.EINVAL, rig.zram.idleStore("soon"));
            assertEquals(0, rig.zram.idleStore("all"));
        }
    }

    /** recompress_store() marks a slot no secondary algorithm shrinks (here: every slot). */
    @Test
    void recompressionMarksIncompressibleAndTypeIncompressibleTakesOnlyThose() {
        try (Rig rig = new Rig(FIXED)) {
            rig.write(0);
            rig.zram.idleStore();
            assertEquals(0, Recompress.recompressStore(rig.zram, ""));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_INCOMPRESSIBLE));
            assertFalse(rig.zram.table.zramTestFlag(0, ZRAM_IDLE), "recompress_slot() clears ZRAM_IDLE");
            rig.write(1);
            assertEquals(0, Recompress.recompressStore(rig.zram, "type=idle"));
            assertFalse(rig.zram.table.zramTestFlag(1, ZRAM_INCOMPRESSIBLE), "slot 1 is not idle: not scanned");
            assertEquals(0, rig.runWriteback("type=incompressible"));
            assertTrue(rig.zram.table.zramTestFlag(0, ZRAM_WB));
            assertFalse(rig.zram.table.zramTestFlag(1, ZRAM_WB));
            assertEquals(Set.of(), rig.broken());
            rig.zram.zramSlotFreeNotify(0);
            assertFalse(rig.zram.table.zramTestFlag(0, ZRAM_INCOMPRESSIBLE), "slot_free() clears it");
            assertEquals(-Errno.EINVAL, Recompress.recompressStore(rig.zram, "type=fast"));
        }
    }
}
