package dev.zwb.conform;

import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kernel;
import dev.zwb.writeback.Batched;
import dev.zwb.zram.ZramPpCtl;
import dev.zwb.zram.ZramTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static dev.zwb.conform.TlaValue.bool;
import static dev.zwb.conform.TlaValue.integer;
import static dev.zwb.conform.TlaValue.record;
import static dev.zwb.conform.TlaValue.set;
import static dev.zwb.conform.TlaValue.str;
import static dev.zwb.conform.TlaValue.tuple;

/**
 * The refinement mapping of spec/ZramBatched.tla onto {@link Batched}: ZramCommon's variables
 * (see {@link CommonMapping}), the scan's (wbPc, scanPos, ppCtl) and, field by field (spec
 * request r is the Java request allocated r-th, index r - 1):
 * <pre>
 *   wbPc          as single; a "wb" thread parked at rcuGp (the grace period it runs at once in
 *                 release_wb_ctl) is "done"; asleep in wait_event it is "waitSleep"; asleep in
 *                 down_write() from initWbCtl (mark_idle() holds dev_lock) it is "initWbCtl"
 *   ppLive        {&lt;&lt;id, slot&gt;&gt;} of the placed pp-slots not yet freed
 *   wbPps, wbBlk, wbReq, wbRet   the locals pps (kept after use), blk_idx (-1: INVALID), req (0: NULL),
 *                 ret (or the error the running reaping will return into it: the spec sets it at once)
 *   wbRetPc       where zram_complete_done_reqs() returns (a ghost set where the C calls it)
 *   wbWaiting     the "wb" thread sleeps in wait_event on done_wait (not in down_write())
 *   ctlSt         wb_ctl: none, live, rcuPending (handed to kfree_rcu), freed
 *   idleReqs, doneReqs, inflightReqs   the lists, head first
 *   numInflight, doneCnt   num_inflight; the COMPLETION_REINIT completion's count
 *   req[r]        st = the request's ghost state (none before init_wb_ctl), blk, pps, data = its page
 *   bio[r]        st = inflight (submitted, not ended), ended (submitted before), idle (never);
 *                 blk, data (the page's content), slot (a ghost: the slot whose page it carries),
 *                 err = bi_status != 0
 *   endioPc[r]    the label request r's IRQ thread is parked at, else the first endio label
 *   rcuReaders, gpWait   requests whose IRQ thread is in an RCU read section / holds up the kfree_rcu
 *   wbOkSlots     slots one of whose bios ended without error (a ghost set by the endio)
 *   slotFlags[s]  ZRAM_IDLE, ZRAM_HUGE, ZRAM_INCOMPRESSIBLE of table slot s
 *   hugePages, pagesStored   zram->stats.huge_pages, .pages_stored
 *   idleIdx       the index the "markIdle" thread's mark_idle() is at (Zram.markIdleIndex)
 *   wbTag[s]      compressed writeback: the object the entry's size and priority describe
 *                 (ZramTable's comp tag; the zero page for none); compared for ZRAM_WB slots only,
 *                 the spec records it at the completion and it means nothing for another slot
 * </pre>
 * Compared through {@link #project}: "EBIO" is "EIO"; a request's blk is dead unless it is in
 * flight or done, its data while it is none or freed; an ended bio's data and slot are dead
 * (the page is refilled, the pp-slot released).
 */
final class BatchedRefinement implements Refinement {

    private static final TlaValue ZERO_PAGE = tuple(integer(0), integer(0));
    private static final Set<String> REQ_BLK_LIVE = Set.of("inflight", "done");
    private static final Set<String> REQ_DATA_DEAD = Set.of("none", "freed");
    private static final Map<Integer, String> FLAG_NAMES = Map.of(ZramTable.ZRAM_IDLE, "ZRAM_IDLE",
            ZramTable.ZRAM_HUGE, "ZRAM_HUGE", ZramTable.ZRAM_INCOMPRESSIBLE, "ZRAM_INCOMPRESSIBLE");

    @Override
    public Map<String, TlaValue> map(JavaTwin twin) {
        return Kernel.observe(() -> {
            Map<String, TlaValue> out = new java.util.LinkedHashMap<>();
            CommonMapping.map(twin, out);
            CommonMapping.scan(twin, out);
            Batched wb = (Batched) twin.wb;
            Thread task = twin.thread("wb");
            String pc = twin.pc("wb", "done");
            // asleep in down_write() at initWbCtl (mark_idle() holds dev_lock for read): the spec's
            // initWbCtl is not enabled yet; asleep anywhere else: in wait_event
            boolean waiting = twin.kernel.sleeping(task) && !"initWbCtl".equals(twin.lockstep.steppingFrom(task));
            if (pc.equals("rcuGp")) {
                pc = "done";
            } else if (waiting) {
                pc = "waitSleep";
            }
            out.put("wbPc", str(pc));
            List<TlaValue> tags = new ArrayList<>();
            for (int s : twin.slots) {
                tags.add(CommonMapping.page(twin.zram.compressedWb() ? twin.zram.table.zramGetCompTag(s) : null));
            }
            out.put("wbTag", tuple(tags));
            List<TlaValue> flags = new ArrayList<>();
            for (int s : twin.slots) {
                List<TlaValue> f = new ArrayList<>();
                for (int bit : new int[] {ZramTable.ZRAM_IDLE, ZramTable.ZRAM_HUGE, ZramTable.ZRAM_INCOMPRESSIBLE}) {
                    if (twin.zram.table.zramTestFlag(s, bit)) {
                        f.add(str(FLAG_NAMES.get(bit)));
                    }
                }
                flags.add(set(f));
            }
            out.put("slotFlags", tuple(flags));
            out.put("hugePages", integer(twin.zram.stats.hugePages.get()));
            out.put("pagesStored", integer(twin.zram.stats.pagesStored.get()));
            out.put("idleIdx", integer(twin.zram.markIdleIndex()));
            ZramPpCtl ctl = wb.ppCtl();
            List<TlaValue> live = new ArrayList<>();
            if (ctl != null) {
                ctl.placed().stream().filter(p -> !p.freed()).forEach(p -> live.add(CommonMapping.pps(p)));
            }
            out.put("ppLive", set(live));
            out.put("wbPps", CommonMapping.pps(wb.wbPps()));
            out.put("wbBlk", integer(wb.carriedBlock()));
            out.put("wbReq", integer(wb.reqIndex() + 1));
            out.put("wbRet", CommonMapping.ret(wb.reapErr() != 0 ? wb.reapErr() : wb.ret()));
            out.put("wbRetPc", str(wb.retPc()));
            out.put("wbWaiting", bool(waiting));
            out.put("ctlSt", str(wb.ctlState()));
            out.put("idleReqs", numbers(wb.idleReqs()));
            out.put("doneReqs", numbers(wb.doneReqs()));
            out.put("inflightReqs", numbers(wb.inflightReqs()));
            out.put("numInflight", integer(wb.numInflight()));
            out.put("doneCnt", integer(wb.doneCount()));
            int n = (int) twin.constants.integer("PoolSize");
            List<Batched.RequestView> reqs = wb.requests();
            String first = endioFirst(twin);
            Set<Thread> readers = twin.kernel.rcu.peekReaders();
            Set<Thread> blockers = twin.kernel.rcu.peekBlockers();
            Map<TlaValue, TlaValue> req = new TreeMap<>();
            Map<TlaValue, TlaValue> bio = new TreeMap<>();
            Map<TlaValue, TlaValue> endioPc = new TreeMap<>();
            List<TlaValue> inRcu = new ArrayList<>();
            List<TlaValue> gpWait = new ArrayList<>();
            for (int r = 1; r <= n; r++) {
                Batched.RequestView v = r <= reqs.size() ? reqs.get(r - 1) : null;
                req.put(integer(r), record("st", str(v == null ? "none" : v.st()),
                        "blk", integer(v == null ? -1 : v.blkIdx()), "pps", CommonMapping.pps(v == null ? null : v.pps()),
                        "data", v == null || v.page() == null ? ZERO_PAGE : page(v.page().data())));
                bio.put(integer(r), bio(v));
                String at = first;
                for (Thread t : twin.irqThreads("endio[" + r + "]")) {
                    String l = twin.lockstep.parkedAt(t);
                    if (l != null && !l.equals("rcuGp")) {
                        at = l;
                    }
                    if (readers.contains(t)) {
                        inRcu.add(integer(r));
                    }
                    if (blockers.contains(t)) {
                        gpWait.add(integer(r));
                    }
                }
                endioPc.put(integer(r), str(at));
            }
            out.put("reqPool", TlaValue.fn(req));
            out.put("bio", TlaValue.fn(bio));
            out.put("endioPc", TlaValue.fn(endioPc));
            out.put("rcuReaders", set(inRcu));
            out.put("gpWait", set(gpWait));
            out.put("wbOkSlots", set(wb.okSlots().stream().map(s -> (TlaValue) integer(s)).toList()));
            return out;
        });
    }

    /** A page the model allocated and never filled reads as junk; the spec's initial data is the zero page. */
    private static TlaValue page(Content c) {
        return CommonMapping.page(c.equals(Content.JUNK) ? Content.ZERO : c);
    }

    private static TlaValue bio(Batched.RequestView v) {
        if (v == null || v.bio().page() == null) {
            return record("st", str("idle"), "blk", integer(-1), "data", ZERO_PAGE, "slot", integer(0),
                    "err", bool(false));
        }
        Bio b = v.bio();
        return record("st", str(b.inFlight() ? "inflight" : "ended"), "blk", integer(b.block()),
                "data", page(b.page().data()), "slot", integer(v.bioSlot()),
                "err", bool(b.status() != 0));
    }

    private static TlaValue numbers(List<Integer> indexes) {
        return tuple(indexes.stream().map(i -> (TlaValue) integer(i + 1)).toList());
    }

    /** The endio's first label (also its idle state), by the switches as the spec's EndioEntry. */
    private static String endioFirst(JavaTwin twin) {
        Set<String> sw = twin.constants.strings("Switches");
        return sw.contains("COMPLETION_REINIT") ? "endioDec" : sw.contains("LOST_WAKEUP") ? "endioWakeUp" : "endioLock";
    }

    @Override
    public Map<String, String> notCompared() {
        return Map.of("lastStep", "the step's own name: it drives the replay");
    }

    @Override
    public TlaValue project(String variable, TlaValue value, Map<String, TlaValue> state) {
        if (variable.equals("rdZs")) {
            return CommonMapping.projectRdZs(value, state);
        }
        switch (variable) {
            case "wbTag": {
                TreeMap<TlaValue, TlaValue> out = new TreeMap<>();
                TlaValue.Fn tbl = (TlaValue.Fn) state.get("tbl");
                ((TlaValue.Fn) value).map().forEach((slot, tag) -> {
                    TlaValue flags = ((TlaValue.Fn) tbl.get(slot)).field("flags");
                    boolean wb = ((TlaValue.SetV) flags).elements().contains(str("ZRAM_WB"));
                    out.put(slot, wb ? tag : ZERO_PAGE);
                });
                return new TlaValue.Fn(out);
            }
            case "wbRet":
                return value.equals(str("EBIO")) ? str("EIO") : value;
            case "reqPool": {
                Map<TlaValue, TlaValue> out = new TreeMap<>();
                ((TlaValue.Fn) value).map().forEach((r, v) -> {
                    TlaValue.Fn f = (TlaValue.Fn) v;
                    Map<TlaValue, TlaValue> m = new TreeMap<>(f.map());
                    String st = ((TlaValue.Str) f.field("st")).value();
                    if (!REQ_BLK_LIVE.contains(st)) {
                        m.put(str("blk"), integer(-1));
                    }
                    if (REQ_DATA_DEAD.contains(st)) {
                        m.put(str("data"), ZERO_PAGE);
                    }
                    out.put(r, TlaValue.fn(m));
                });
                return TlaValue.fn(out);
            }
            case "bio": {
                Map<TlaValue, TlaValue> out = new TreeMap<>();
                ((TlaValue.Fn) value).map().forEach((r, v) -> {
                    TlaValue.Fn f = (TlaValue.Fn) v;
                    Map<TlaValue, TlaValue> m = new TreeMap<>(f.map());
                    if (str("ended").equals(f.field("st"))) {
                        m.put(str("data"), ZERO_PAGE);
                        m.put(str("slot"), integer(0));
                    }
                    out.put(r, TlaValue.fn(m));
                });
                return TlaValue.fn(out);
            }
            default:
                return value;
        }
    }

    @Override
    public List<Integer> selectOrder(List<TraceStep> trace) {
        return CommonMapping.selectOrder(trace);
    }

    /** waitDone: wait_event finds done_reqs empty and the task sleeps ("waitSleep"). */
    @Override
    public boolean maySleep(String label) {
        return label.equals("waitDone");
    }

    @Override
    public List<String> deviceSteps() {
        return List.of("endioLock", "endioWakeUp", "endioDec");
    }

    @Override
    public DeviceStep device(JavaTwin twin, TraceStep prev, TraceStep step) {
        String p = step.process();
        int r = Integer.parseInt(p.substring(p.indexOf('[') + 1, p.indexOf(']')));
        Batched wb = (Batched) twin.wb;
        Bio bio = wb.requests().get(r - 1).bio();
        TlaValue.Fn b = (TlaValue.Fn) ((TlaValue.Fn) step.var("bio")).get(integer(r));
        boolean err = bool(true).equals(b.field("err"));
        return new DeviceStep(bio, err ? -Errno.EIO : 0, p);
    }
}
