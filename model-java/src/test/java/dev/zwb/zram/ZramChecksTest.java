package dev.zwb.zram;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kasan;
import dev.zwb.sched.Actor;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The checks the zram layer feeds, each shown to fire and to stay quiet: lockdep on the table's
 * setters, the slot-lock exemption of NoLostOrStaleData, and the write-back limit's accounting
 * (WbLimit, WbLimitAccounted) across an enable store and a refund.
 */
class ZramChecksTest {

    // ---- lockdep_assert_held() of the slot lock ----------------------------------------------

    @Test
    void everyTableSetterWantsTheSlotLock() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            ZramTable t = rig.zram.table;
            Kasan kasan = rig.kernel.kasan;
            t.zramSlotLock(0);
            t.zramSetFlag(0, ZRAM_IDLE);
            t.zramClearFlag(0, ZRAM_IDLE);
            t.zramSetHandle(0, 0);
            t.zramSetObjSize(0, 0);
            t.zramGetHandleLocked(0);
            t.zramSlotUnlock(0);
            assertEquals(List.of(), kasan.reports(Kasan.Kind.LOCKDEP), "all under the lock");
            t.zramSetFlag(0, ZRAM_IDLE);
            t.zramClearFlag(0, ZRAM_IDLE);
            t.zramSetHandle(0, 0);
            t.zramSetObjSize(0, 0);
            t.zramGetHandleLocked(0);
            assertEquals(List.of("zram_set_flag", "zram_clear_flag", "zram_set_handle", "zram_set_obj_size",
                    "zram_get_handle"), kasan.reports(Kasan.Kind.LOCKDEP).stream().map(Kasan.Report::access).toList());
        }
    }

    @Test
    void theLockOwnerIsTheTaskHoldingTheSlotLock() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            ZramTable t = rig.zram.table;
            assertEquals(null, t.lockOwner(1));
            t.zramSlotLock(1);
            assertEquals(Thread.currentThread(), t.lockOwner(1));
            assertTrue(t.isLocked(1));
            t.zramSlotUnlock(1);
            assertEquals(null, t.lockOwner(1));
        }
    }

    @Test
    void aSlotLockedByItsWriterIsNotJudgedUntilUnlocked() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            Zram zram = rig.zram;
            zram.zramBioWrite(0);
            zram.table.zramSlotLock(0);
            zram.zramFreePage(0); // mid-change: the data is gone, the ghost not yet told
            assertEquals(List.of(), Invariants.noLostOrStaleData(zram), "the slot is locked: someone is changing it");
            zram.table.zramSlotUnlock(0);
            assertEquals(1, Invariants.noLostOrStaleData(zram).size(), "unlocked half-changed: lost");
        }
    }

    // ---- the write-back limit ------------------------------------------------------------------

    /**
     * writeback_limit_store(1) while the limit is off, two pages written back (charged to no
     * budget), then writeback_limit_enable_store(1): the enable starts the count afresh, so one
     * more page fits the budget of one.
     */
    @Test
    void enablingTheLimitStartsTheCountAfresh() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            Zram zram = rig.zram;
            zram.writebackLimitStore(1);
            rig.write(0);
            rig.write(1);
            assertEquals(0, rig.runWriteback("page_indexes=0-1"));
            assertEquals(1, zram.bdWbLimit(), "off: nothing charged");
            zram.writebackLimitEnableStore(true);
            rig.write(2);
            assertEquals(0, rig.runWriteback("page_index=2"));
            assertEquals(0, zram.bdWbLimit());
            assertEquals(Set.of(), rig.broken(), "one page on a budget of one");
            rig.write(3);
            assertEquals(-Errno.EIO, rig.runWriteback("page_index=3"), "the budget is spent");
        }
    }

    /**
     * Batched, budget 2, two pages, the first bio fails: bd_wb_limit is refunded one page, and
     * the accounting check (bd_wb_limit plus the pages charged is the value stored) agrees; a
     * refund the ghost did not see, or saw twice, would break it.
     */
    @Test
    void aRefundIsAccountedToTheBudgetItCameFrom() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            Zram zram = rig.zram;
            zram.writebackLimitEnableStore(true);
            zram.writebackLimitStore(2);
            rig.write(0);
            rig.write(1);
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.settle(task);
            rig.bdev.completeNext(-Errno.EIO).join();
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(1, zram.bdWbLimit());
            assertEquals(Set.of(), rig.broken());
            rig.write(2);
            assertEquals(0, rig.runWriteback("page_index=2"), "the refunded page's budget is there");
            assertEquals(0, zram.bdWbLimit());
            assertEquals(Set.of(), rig.broken(), "two pages written on a budget of two");
            assertTrue(rig.violations().stream().noneMatch(v -> v.invariant() == Invariant.WbLimitAccounted));
        }
    }

    /**
     * What the limit's ghost keeps (the spec's limEpoch, limStored, limPages) and the
     * WbLimitAccounted check on it, in both directions: bd_wb_limit plus the pages charged must
     * be the value stored while the limit is on and not overrun.
     */
    @Test
    void theLimitGhostCountsChargesPerStore() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            ZramGhost g = rig.zram.ghost;
            rig.zram.writebackLimitStore(2);
            assertEquals(1, g.limitEpoch());
            assertEquals(2, g.limitStored());
            assertEquals(null, g.limitAccountingViolation(0), "the limit is off");
            rig.zram.writebackLimitEnableStore(true);
            assertEquals(2, g.limitEpoch());
            assertEquals(null, g.limitAccountingViolation(2));
            assertEquals("bd_wb_limit 1 + 0 pages charged != 2 stored", g.limitAccountingViolation(1));
            long epoch = g.limitCheckPassed();
            g.limitCharged(epoch);
            g.limitCharged(epoch);
            assertEquals(2, g.chargedThisEpoch());
            assertEquals(null, g.limitAccountingViolation(0), "both pages charged, none left");
            assertEquals("bd_wb_limit 1 + 2 pages charged != 2 stored", g.limitAccountingViolation(1));
            g.limitCharged(epoch - 1);
            assertEquals(2, g.chargedThisEpoch(), "a page whose check came before the store charges nothing to it");
            g.limitRefunded(epoch);
            assertEquals(1, g.chargedThisEpoch());
            assertEquals(null, g.limitViolation());
        }
    }
}
