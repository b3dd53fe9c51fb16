package dev.zwb.check;

import dev.zwb.kernel.Content;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.Kernel;
import dev.zwb.writeback.Writeback;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramPpSlot;
import dev.zwb.zram.ZramTable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The state invariants of the specs, computed over the Java model's state. Each check returns the
 * violations it finds (empty: it holds), so a harness can assert which invariant broke.
 *
 * <p>The checks read the model without its locks: call them when the model is quiescent (every
 * model thread parked at a label or finished), which is what a TLC state is.
 */
public final class Invariants {

    private Invariants() {
    }

    /** Every state invariant. The model's reads here are observations, never accesses. */
    public static List<Violation> check(Zram zram, Writeback wb) {
        return Kernel.observe(() -> {
            List<Violation> all = new ArrayList<>();
            all.addAll(noLostOrStaleData(zram));
            all.addAll(blockOwnership(zram, wb));
            all.addAll(wbLimit(zram));
            all.addAll(memoryLifetime(zram, wb));
            all.addAll(reads(zram));
            all.addAll(writtenBackWhenUntouched(zram, wb));
            all.addAll(kernelWarnings(zram));
            all.addAll(leaks(zram, wb));
            wb.designChecks((name, detail) -> all.add(new Violation(Invariant.valueOf(name), detail)));
            return all;
        });
    }

    /** The invariants that the violations name (the names TLC would report). */
    public static Set<Invariant> broken(List<Violation> violations) {
        Set<Invariant> set = EnumSet.noneOf(Invariant.class);
        violations.forEach(v -> set.add(v.invariant()));
        return set;
    }

    /** The catalogue groups of the violations (BlockOwnership, MemoryLifetime, ...). */
    public static Set<String> brokenGroups(List<Violation> violations) {
        Set<String> set = new java.util.TreeSet<>();
        violations.forEach(v -> set.add(v.invariant().group()));
        return set;
    }

    /** NoLostOrStaleData: every slot that nobody holds locked (nobody is modifying). */
    public static List<Violation> noLostOrStaleData(Zram zram) {
        List<Violation> out = new ArrayList<>();
        ZramTable t = zram.table;
        for (int i = 0; i < t.nrSlots(); i++) {
            if (t.isLocked(i)) {
                continue;
            }
            Content want = zram.ghost.logical(i);
            boolean allocated = t.zramAllocated(i);
            if (!allocated) {
                if (want.written()) {
                    out.add(new Violation(Invariant.NoLostOrStaleData,
                            "lost: slot " + i + " should hold " + want + " but holds nothing"));
                }
                continue;
            }
            boolean wb = t.zramTestFlag(i, ZramTable.ZRAM_WB);
            Content got = wb ? zram.bdev.peek(t.zramGetHandle(i)) : zram.peekStored(i);
            if (!got.equals(want)) {
                out.add(new Violation(Invariant.NoLostOrStaleData,
                        "stale: slot " + i + (wb ? " (ZRAM_WB on block " + t.zramGetHandle(i) + ")" : "")
                                + " reads back " + got + " but its latest write is " + want));
            }
        }
        return out;
    }

    /** BlockOwnership: BlockNoDoubleUse, BlockHeldIsReserved, BlockNoLeak. */
    public static List<Violation> blockOwnership(Zram zram, Writeback wb) {
        List<Violation> out = new ArrayList<>();
        Map<Long, List<String>> owners = new HashMap<>();
        ZramTable t = zram.table;
        for (int i = 0; i < t.nrSlots(); i++) {
            if (t.zramTestFlag(i, ZramTable.ZRAM_WB)) {
                owners.computeIfAbsent(t.zramGetHandle(i), b -> new ArrayList<>()).add("slot " + i);
            }
        }
        wb.forEachBlockOwner((blk, who) -> owners.computeIfAbsent(blk, b -> new ArrayList<>()).add(who));
        owners.forEach((blk, who) -> {
            if (who.size() > 1) {
                out.add(new Violation(Invariant.BlockNoDoubleUse,
                        "block " + blk + " is owned by " + who));
            }
            if (!zram.blockReserved(blk)) {
                out.add(new Violation(Invariant.BlockHeldIsReserved,
                        "block " + blk + " is owned by " + who + " but not set in the bitmap"));
            }
        });
        for (long blk = 0; blk < zram.nrPages(); blk++) {
            if (zram.blockReserved(blk) && !owners.containsKey(blk)) {
                out.add(new Violation(Invariant.BlockNoLeak,
                        "block " + blk + " is set in the bitmap but owned by nobody"
                                + (wb.running() ? "" : " after writeback returned")));
            }
        }
        return out;
    }

    /** WbLimit. */
    public static List<Violation> wbLimit(Zram zram) {
        String v = zram.ghost.limitViolation();
        return v == null ? List.of() : List.of(new Violation(Invariant.WbLimit, v));
    }

    /**
     * MemoryLifetime: NoUseAfterFree, NoFreedHandleUse, NoNullPpsDeref (from the KASAN log), NoDanglingPps,
     * NoPpsSharedByTwoRequests (the design's pp-slot holders). The batched parts
     * NoInflightReqReuse and its state form of NoNullPpsDeref come from
     * {@link Writeback#designChecks}.
     */
    public static List<Violation> memoryLifetime(Zram zram, Writeback wb) {
        List<Violation> out = new ArrayList<>();
        for (Kasan.Report r : zram.kernel.kasan.reports()) {
            switch (r.kind()) {
                case USE_AFTER_FREE, DOUBLE_FREE, LIST_CORRUPTION ->
                        out.add(new Violation(Zram.ZS_OBJECT.equals(r.object())
                                ? Invariant.NoFreedHandleUse : Invariant.NoUseAfterFree, r.toString()));
                case NULL_DEREF ->
                        out.add(new Violation(Invariant.NoNullPpsDeref, r.toString()));
                default -> {
                }
            }
        }
        Map<ZramPpSlot, String> holders = new IdentityHashMap<>();
        wb.forEachPpsHolder((who, pps) -> {
            if (pps.freed()) {
                out.add(new Violation(Invariant.NoDanglingPps,
                        who + " points to released " + pps.name()));
            }
            String other = holders.put(pps, who);
            if (other != null) {
                out.add(new Violation(Invariant.NoPpsSharedByTwoRequests,
                        pps.name() + " is held by " + other + " and " + who));
            }
        });
        return out;
    }

    /** Reads and ReadsSucceed. */
    public static List<Violation> reads(Zram zram) {
        List<Violation> out = new ArrayList<>();
        zram.ghost.readViolations().forEach(d -> out.add(new Violation(Invariant.Reads, d)));
        zram.ghost.readFailures().forEach(d -> out.add(new Violation(Invariant.ReadsSucceed, d)));
        return out;
    }

    /** NoKernelWarning: the WARNING, LOCKDEP and HUNG_TASK reports of the kernel log. */
    public static List<Violation> kernelWarnings(Zram zram) {
        List<Violation> out = new ArrayList<>();
        for (Kasan.Report r : zram.kernel.kasan.reports()) {
            switch (r.kind()) {
                case WARNING, LOCKDEP, HUNG_TASK ->
                        out.add(new Violation(Invariant.NoKernelWarning, r.toString()));
                default -> {
                }
            }
        }
        return out;
    }

    /**
     * NoLeakAtReturn: once writeback has returned, what it allocated is freed, and no slot is
     * left with ZRAM_PP_SLOT.
     */
    public static List<Violation> leaks(Zram zram, Writeback wb) {
        List<Violation> out = new ArrayList<>();
        wb.forEachLeak(what -> out.add(new Violation(Invariant.NoLeakAtReturn,
                what + " is still allocated after writeback returned")));
        if (!wb.running()) {
            for (int i = 0; i < zram.table.nrSlots(); i++) {
                if (zram.table.zramTestFlag(i, ZramTable.ZRAM_PP_SLOT)) {
                    out.add(new Violation(Invariant.NoLeakAtReturn,
                            "slot " + i + " still has ZRAM_PP_SLOT after writeback returned"));
                }
            }
        }
        return out;
    }

    /** WrittenBackWhenUntouched: checked once writeback has returned. */
    public static List<Violation> writtenBackWhenUntouched(Zram zram, Writeback wb) {
        if (wb.running()) {
            return List.of();
        }
        List<Violation> out = new ArrayList<>();
        for (int i : wb.successfulWrites()) {
            if (!zram.ghost.touchedSinceScan(i) && !zram.table.zramTestFlag(i, ZramTable.ZRAM_WB)) {
                out.add(new Violation(Invariant.WrittenBackWhenUntouched,
                        "slot " + i + " was written to the device, untouched, but is not ZRAM_WB"));
            }
        }
        return out;
    }
}
