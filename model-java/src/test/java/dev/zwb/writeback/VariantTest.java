package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.zram.ReadPath;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VariantTest {

    @Test
    void asReleasedSetsAreTheCatalogues() {
        assertEquals(EnumSet.of(Defect.READ_BLKIDX_UNLOCKED), Variant.asReleased(Design.SINGLE).defects());
        assertEquals(EnumSet.of(Defect.WRONG_PPS_CLEAR, Defect.REQ_POOL_UAF,
                Defect.LIMIT_AT_COMPLETION, Defect.READ_BLKIDX_UNLOCKED),
                Variant.asReleased(Design.MULTIPAGE).defects());
        assertEquals(EnumSet.of(Defect.WB_CTL_UAF, Defect.BLK_IDX_LEAK, Defect.NO_READ_RECHECK),
                Variant.asReleased(Design.BATCHED).defects());
        assertEquals(Set.of(), Variant.fixed(Design.BATCHED).defects());
    }

    @Test
    void everyDesignHasItsSwitchesAlone() {
        assertEquals(8, Variant.all(Design.SINGLE).size(),
                "with the teaching BLK_IDX_LEAK and READ_UNCHAINED and the proposed ZS_READ_UNLOCKED");
        assertEquals(10, Variant.all(Design.MULTIPAGE).size(), "with the teaching READ_UNCHAINED");
        assertEquals(19, Variant.all(Design.BATCHED).size(),
                "with the teaching LOST_WAKEUP, the two compressed-writeback switches, the three of the slot flags "
                        + ", ZS_READ_UNLOCKED and READ_UNCHAINED");
    }

    @Test
    void aSwitchOfAnotherDesignIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Variant.only(Design.SINGLE, Defect.WB_CTL_UAF));
        assertEquals("WB_CTL_UAF does not apply to single", e.getMessage());
    }

    @Test
    void anUnknownSwitchNamesTheAcceptedOnes() {
        assertEquals(Defect.NO_PP_RECHECK, Defect.parse("NO_PP_RECHECK"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Defect.parse("NO_SUCH_BUG"));
        assertTrue(e.getMessage().startsWith("unknown switch 'NO_SUCH_BUG'; accepted: [NO_PP_RECHECK, "), e.getMessage());
    }

    @Test
    void aPoolOfZeroIsRejected() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE))) {
            IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                    () -> new MultiPage(rig.zram, Variant.fixed(Design.MULTIPAGE), 0));
            assertEquals("the request pool must hold at least 1 request, not 0", m.getMessage());
        }
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            IllegalArgumentException b = assertThrows(IllegalArgumentException.class,
                    () -> new Batched(rig.zram, Variant.fixed(Design.BATCHED), 0));
            assertEquals("writeback_batch_size must be at least 1, not 0", b.getMessage());
        }
    }

    @Test
    void defectsNameTheSpecsInvariants() {
        for (Defect d : Defect.values()) {
            Invariant.valueOf(d.breaks());
        }
    }

    @Test
    void readPaths() {
        assertEquals(ReadPath.UNLOCKED_HANDLE, Variant.asReleased(Design.SINGLE).readPath());
        assertEquals(ReadPath.LOCKED_HANDLE, Variant.asReleased(Design.BATCHED).readPath());
        assertEquals(ReadPath.LOCKED_HANDLE_RECHECK, Variant.fixed(Design.MULTIPAGE).readPath());
    }

    @Test
    void writebackStoreArguments() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            rig.write(0);
            assertEquals(-Errno.EINVAL, rig.wb.writebackStore("bogus"));
            assertEquals(-Errno.ERANGE, rig.wb.writebackStore("page_indexes=2-9"));
            assertEquals(0, rig.wb.writebackStore("idle"), "nothing is idle: nothing to do");
            rig.zram.idleStore();
            assertEquals(0, rig.runWriteback("type=idle"));
            assertEquals(1, rig.zram.stats.bdWrites.get());
        }
    }

    @Test
    void onePostProcessingAtATime() {
        try (Rig rig = new Rig(Variant.asReleased(Design.BATCHED))) {
            rig.write(0);
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task);
            assertEquals(-Errno.EAGAIN, rig.wb.writebackStore("page_index=0"), "v6.19: pp_in_progress");
            assertEquals(0, rig.finish(task));
        }
    }

    @Test
    void mainlineHoldsDevLockForWriteSoASecondWritebackWaits() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            rig.write(0);
            rig.write(1);
            Actor<Integer> first = rig.writeback("page_index=0");
            rig.settle(first);
            Actor<Integer> second = rig.writeback("page_index=1");
            assertEquals(0, rig.finish(first));
            assertEquals(0, rig.finish(second), "7.0: it waited on dev_lock instead of -EAGAIN");
            assertTrue(rig.zram.table.zramTestFlag(1, ZramTable.ZRAM_WB));
        }
    }
}
