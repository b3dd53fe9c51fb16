package dev.zwb.conform;

import dev.zwb.kernel.Content;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static dev.zwb.conform.TlaValue.integer;
import static dev.zwb.conform.TlaValue.record;
import static dev.zwb.conform.TlaValue.set;
import static dev.zwb.conform.TlaValue.str;
import static dev.zwb.conform.TlaValue.tuple;

/**
 * The mapping of ZramCommon's variables (the slot table, its locks, the bitmap, the blocks, the
 * limit and the environment), shared by every design. Field by field:
 * <pre>
 *   tbl[s].flags     ZRAM_WB and ZRAM_PP_SLOT of table slot s (the others are not modelled)
 *   tbl[s].handle    the handle of a ZRAM_WB slot (its block); 0 otherwise (a zsmalloc handle is not a block)
 *   tbl[s].ver       the version of the object zsmalloc holds for s; 0 for a ZRAM_WB or free slot
 *   slotLock[s]      the process whose thread holds the slot lock (SlotLock's owner ghost), "none"
 *   bitmap           the blocks whose bit is set in zram-&gt;bitmap
 *   disk[b]          what device block b holds
 *   bdLimit          zram-&gt;bd_wb_limit
 *   envPc[p]         the label p's thread is parked at; "envDone" once it returned
 *   envSlot[p]       the slot p works on once it took its first step, 0 before
 *   rdBlk, rdVal     the latest read's block index and page (Zram.ReaderView); 0 and the zero page before;
 *                    an index beyond the device (a zsmalloc handle) is ZsHandle (-1), a failed read's page Failed
 *   latest[s]        the ghost's logical content of s (its version; 0 when freed)
 *   rdSeen           the contents the read slot held from the read's first locked step to its return
 *   limEpoch         the ghost's limit epoch less the set-up's stores
 *   limStored        the ghost's latest stored limit
 *   limPages         the ghost's pages charged since the latest store
 *   rdZs             the zsmalloc handle a ZS_READ_UNLOCKED read holds outside the slot lock
 *                    (Zram.HeldHandle): by = the slot whose entry holds it, 0 once freed; data = what
 *                    its object holds; [by |-> -1, data |-> zero page] when none is held. Compared
 *                    through {@link #projectRdZs}: the spec keeps by = s when the writeback's
 *                    completion frees s's object (it reads that off ZRAM_WB), the twin says 0
 *   zsFreedUse       a KASAN-style report of a freed zsmalloc handle (NoFreedHandleUse)
 *   rdChild          AsyncRead: the latest read's child bio, "none", "inflight" (submitted, held by
 *                    the device) or "ended"; the parent's page is then rdVal (junk until it lands)
 * </pre>
 * A page (i, v) maps to {@code <<i, v>>}, the zero page to {@code <<0, 0>>}, junk to {@code <<0, -1>>}.
 */
final class CommonMapping {

    /** The spec's rdVal of a failed read. */
    static final TlaValue FAILED = tuple(integer(0), integer(-2));
    /** The spec's rdVal of a read decompress_bdev_page() failed with -EIO (ReadEio). */
    static final TlaValue READ_EIO = tuple(integer(0), integer(-3));
    /** The spec's Garbage: bytes decompressed with another object's size and priority (batched). */
    static final TlaValue GARBAGE = tuple(integer(0), integer(-4));
    /** The spec's rdBlk for a handle that names no block (a zsmalloc handle). */
    static final long ZS_HANDLE = -1;

    private CommonMapping() {
    }

    static TlaValue page(Content c) {
        if (c == null || c.equals(Content.ZERO)) {
            return tuple(integer(0), integer(0));
        }
        if (c.equals(Content.JUNK)) {
            return tuple(integer(0), integer(-1));
        }
        if (c.equals(Content.GARBAGE)) {
            return GARBAGE;
        }
        return tuple(integer(c.slot()), integer(c.version()));
    }

    /** A pp-slot as the spec names it: &lt;&lt;scan position, slot&gt;&gt;; NULL is &lt;&lt;0, 0&gt;&gt;. */
    static TlaValue pps(dev.zwb.zram.ZramPpSlot p) {
        return p == null ? tuple(integer(0), integer(0)) : tuple(integer(p.peekScanPos()), integer(p.peekIndex()));
    }

    /**
     * writeback_store()'s scan, common to the designs: wbPc (the "wb" thread's label, "done" once it
     * returned), scanPos (1 + the slots visited), ppCtl (the pp-slots still in the buckets).
     */
    static void scan(JavaTwin twin, Map<String, TlaValue> out) {
        out.put("wbPc", str(twin.pc("wb", "done")));
        dev.zwb.zram.ZramPpCtl ctl = twin.wb.ppCtl();
        out.put("scanPos", integer(ctl == null ? 1 : ctl.scanVisits() + 1));
        List<TlaValue> pps = new ArrayList<>();
        if (ctl != null) {
            ctl.peekPpSlots().forEach(p -> pps.add(pps(p)));
        }
        out.put("ppCtl", set(pps));
    }

    /**
     * wbRun of the designs that run writeback_store() more than once (single, multipage): which
     * call the task is in (Writeback's run ghost).
     */
    static void run(JavaTwin twin, Map<String, TlaValue> out) {
        out.put("wbRun", integer(twin.wb.run()));
    }

    /** Whether {@code state} is in a later call of writeback_store() than the first (wbRun > 1). */
    static boolean laterRun(Map<String, TlaValue> state) {
        return state.get("wbRun") instanceof TlaValue.Int i && i.value() > 1;
    }

    /** The slots the trace's select steps put in wbPps, in order (single, batched). */
    static List<Integer> selectOrder(List<TraceStep> trace) {
        List<Integer> order = new ArrayList<>();
        for (TraceStep s : trace) {
            if ("wb".equals(s.process()) && "select".equals(s.label()) && str("limitCheck").equals(s.var("wbPc"))) {
                order.add((int) ((TlaValue.Int) ((TlaValue.Fn) s.var("wbPps")).get(integer(2))).value());
            }
        }
        return order;
    }

    /** ret of zram_writeback_slots() as the spec spells it ("EBIO" is projected to "EIO"). */
    static TlaValue ret(int ret) {
        return str(switch (ret) {
            case 0 -> "ok";
            case -dev.zwb.kernel.Errno.ENOSPC -> "ENOSPC";
            case -dev.zwb.kernel.Errno.EIO -> "EIO";
            case -dev.zwb.kernel.Errno.ENOMEM -> "ENOMEM";
            default -> "errno " + ret;
        });
    }

    /** A ghost epoch of the Java twin as the spec counts it (0: none). */
    static TlaValue epoch(JavaTwin twin, long epoch) {
        return integer(epoch == 0 ? 0 : epoch - twin.setupEpochs);
    }

    static void map(JavaTwin twin, Map<String, TlaValue> out) {
        Zram zram = twin.zram;
        ZramTable t = zram.table;
        List<TlaValue> tbl = new ArrayList<>();
        List<TlaValue> locks = new ArrayList<>();
        List<TlaValue> latest = new ArrayList<>();
        for (int s : twin.slots) {
            boolean wb = t.zramTestFlag(s, ZramTable.ZRAM_WB);
            List<TlaValue> flags = new ArrayList<>();
            if (wb) {
                flags.add(str("ZRAM_WB"));
            }
            if (t.zramTestFlag(s, ZramTable.ZRAM_PP_SLOT)) {
                flags.add(str("ZRAM_PP_SLOT"));
            }
            tbl.add(record("flags", set(flags), "handle", integer(wb ? t.zramGetHandle(s) : 0),
                    "ver", integer(wb ? 0 : zram.peekStored(s).version())));
            String owner = twin.processOf(t.lockOwner(s));
            locks.add(str(t.isLocked(s) ? (owner == null ? "?" + t.lockOwner(s) : owner) : "none"));
            latest.add(integer(zram.ghost.logical(s).version()));
        }
        out.put("tbl", tuple(tbl));
        out.put("slotLock", tuple(locks));
        out.put("latest", tuple(latest));
        long maxBlock = twin.constants.integer("MaxBlock");
        List<TlaValue> bitmap = new ArrayList<>();
        Map<TlaValue, TlaValue> disk = new TreeMap<>();
        for (long b = 0; b <= maxBlock; b++) {
            if (zram.blockReserved(b)) {
                bitmap.add(integer(b));
            }
            disk.put(integer(b), page(zram.bdev.peek(b)));
        }
        out.put("bitmap", set(bitmap));
        out.put("disk", TlaValue.fn(disk));
        out.put("bdLimit", integer(zram.bdWbLimit()));
        Map<TlaValue, TlaValue> envPc = new TreeMap<>();
        Map<TlaValue, TlaValue> envSlot = new TreeMap<>();
        for (String p : twin.constants.strings("EnvProcs")) {
            envPc.put(str(p), str(twin.pc(p, "envDone")));
            envSlot.put(str(p), integer(twin.envSlot(p)));
        }
        out.put("envPc", TlaValue.fn(envPc));
        out.put("envSlot", TlaValue.fn(envSlot));
        Zram.ReaderView read = zram.readerView();
        long blk = read == null ? 0 : read.blkIdx();
        out.put("rdBlk", integer(blk >= 0 && blk <= maxBlock ? blk : ZS_HANDLE));
        // a read decompress_bdev_page() failed (-EIO) also counts as failed: it is ReadEio
        out.put("rdVal", read != null && read.eio() ? READ_EIO : read != null && read.failed() ? FAILED
                : page(read == null ? null : read.got()));
        out.put("rdSeen", set(read == null ? List.of() : read.seen().stream().map(CommonMapping::page).toList()));
        out.put("limEpoch", integer(zram.ghost.limitEpoch() - twin.setupEpochs));
        out.put("limStored", integer(zram.ghost.limitStored()));
        out.put("limPages", integer(zram.ghost.chargedThisEpoch()));
        Zram.HeldHandle held = read == null ? null : read.held();
        out.put("rdZs", held == null ? record("by", integer(-1), "data", page(null))
                : record("by", integer(held.owner()), "data", page(held.data())));
        out.put("rdChild", str(read == null ? "none" : read.child()));
        out.put("zsFreedUse", TlaValue.bool(zram.kernel.kasan.reports().stream()
                .anyMatch(r -> Zram.ZS_OBJECT.equals(r.object()))));
    }

    /**
     * rdZs as both sides are compared: an owner that is ZRAM_WB in {@code state} had its object
     * freed by the writeback's completion (ZramCommon's HeldFreed), so it is 0.
     */
    static TlaValue projectRdZs(TlaValue value, Map<String, TlaValue> state) {
        TlaValue.Fn f = (TlaValue.Fn) value;
        long by = ((TlaValue.Int) f.field("by")).value();
        if (by <= 0) {
            return value;
        }
        TlaValue flags = ((TlaValue.Fn) ((TlaValue.Fn) state.get("tbl")).get(integer(by))).field("flags");
        if (!((TlaValue.SetV) flags).elements().contains(str("ZRAM_WB"))) {
            return value;
        }
        Map<TlaValue, TlaValue> m = new TreeMap<>(f.map());
        m.put(str("by"), integer(0));
        return TlaValue.fn(m);
    }
}
