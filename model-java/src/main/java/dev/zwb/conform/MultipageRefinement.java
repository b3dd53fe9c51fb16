package dev.zwb.conform;

import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.writeback.MultiPage;
import dev.zwb.zram.ZramPpCtl;
import dev.zwb.zram.ZramPpSlot;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * The refinement mapping of spec/ZramMultipage.tla onto {@link MultiPage}: ZramCommon's variables
 * (see {@link CommonMapping}), the scan's (wbPc, scanPos, ppCtl, wbRun as single) and, field by field:
 * <pre>
 *   ppFreed        {&lt;&lt;id, slot&gt;&gt;} of the pp-slots placed in the ctl whose memory is freed
 *   wbRet          ret (0 "ok", -ENOMEM, -EIO, -ENOSPC)
 *   poolN          the pool's length (0 before poolAlloc)
 *   cntOff, nrI    cnt_off; the iteration zram_writeback_next_request() is at (0 outside it)
 *   wbReq          the index of req in the pool, -1 for NULL
 *   drainI         i of the drain loop
 *   reqPool[i]     req_pool[i] (ZeroReq beyond the pool): flags = ALLOCATED/COMPLETED bits,
 *                  blk = blk_idx while the request owns the block (0 once the drain freed it: the
 *                  C leaves the index in place, the spec clears it), page = req-&gt;page allocated, pps, data = the page's content,
 *                  bio = issued (held by the device) / plugged (submitted, in the plug) / idle,
 *                  err = bi_status != 0, epoch = the ghost epoch of its limit check (0: none)
 *   doneCnt        done.done of the on-stack completion
 *   owed           bios submitted less completions the task took
 *   endioPc[i]     the label an IRQ thread running request i's end_io is parked at, else "idle"
 *   endioLate[i]   request i's IRQ threads parked at endioComplete
 *   deadTouch      "pool" if KASAN reported a use of the pool's memory after free,
 *                  "completion" if of the completion (complete() on the dead frame)
 *   nullDeref      KASAN reported a NULL pp-slot dereference
 * </pre>
 * Compared through {@link #project}: in a later call of writeback_store() (wbRun &gt; 1) the pool and
 * the loop's locals are dead before its pool exists (scan, poolAlloc: Java still holds the previous
 * call's, the spec reset them at nextRun); "EBIO" is "EIO"; wbReq is dead (NULL) while the task asks for
 * a request (the C reassigns req before reading it) and after freePool; doneCnt is dead after
 * freePool (the frame holding it ended: TLC keeps the count, Java's late complete() writes the
 * freed memory, KASAN reports it, deadTouch compares it); reqPool[i].data is dead unless
 * the bio is plugged or issued or the task is at submitBio with it; reqPool[i].err is dead while the
 * bio is plugged or issued (the device sets it).
 */
final class MultipageRefinement implements Refinement {

    private static final TlaValue ZERO_PAGE = tuple(integer(0), integer(0));
    private static final Set<String> REQ_DEAD = Set.of("getRequest", "releaseCtl", "nextRun", "done");
    /** After freePool the stack frame holding `done` has ended (until a later call's poolAlloc). */
    private static final Set<String> FRAME_DEAD = Set.of("releaseCtl", "nextRun", "done");
    /**
     * A later call's labels before its pool is allocated: the previous call's pool, frame and loop
     * locals are dead (the spec's nextRun reset them, Java still holds the old ones).
     */
    private static final Set<String> POOL_UNBORN = Set.of("scan", "poolAlloc");

    @Override
    public Map<String, TlaValue> map(JavaTwin twin) {
        return Kernel.observe(() -> {
            Map<String, TlaValue> out = new LinkedHashMap<>();
            CommonMapping.map(twin, out);
            CommonMapping.scan(twin, out);
            CommonMapping.run(twin, out);
            MultiPage wb = (MultiPage) twin.wb;
            ZramPpCtl ctl = wb.ppCtl();
            List<TlaValue> freed = new ArrayList<>();
            if (ctl != null) {
                ctl.placed().stream().filter(ZramPpSlot::freed).forEach(p -> freed.add(CommonMapping.pps(p)));
            }
            out.put("ppFreed", set(freed));
            out.put("wbRet", CommonMapping.ret(wb.ret()));
            List<MultiPage.RequestView> pool = wb.requests();
            out.put("poolN", integer(pool.size()));
            out.put("cntOff", integer(wb.cntOff()));
            out.put("nrI", integer(wb.nrI()));
            out.put("wbReq", integer(wb.reqIndex()));
            out.put("drainI", integer(wb.drainI()));
            List<Bio> held = twin.bdev.pendingBios();
            int maxReq = (int) Math.max(twin.constants.integer("PoolSize"), twin.constants.integer("PreallocSize"));
            Map<TlaValue, TlaValue> rq = new TreeMap<>();
            Map<TlaValue, TlaValue> endioPc = new TreeMap<>();
            Map<TlaValue, TlaValue> endioLate = new TreeMap<>();
            for (int i = 0; i < maxReq; i++) {
                rq.put(integer(i), i < pool.size() ? request(twin, pool.get(i), held) : zeroReq());
                String pc = "idle";
                int late = 0;
                for (Thread t : twin.irqThreads("endio[" + i + "]")) {
                    String at = twin.lockstep.parkedAt(t);
                    if ("endioComplete".equals(at)) {
                        late++;
                    } else if (at != null) {
                        pc = at;
                    }
                }
                endioPc.put(integer(i), str(pc));
                endioLate.put(integer(i), integer(late));
            }
            out.put("reqPool", TlaValue.fn(rq));
            out.put("endioPc", TlaValue.fn(endioPc));
            out.put("endioLate", TlaValue.fn(endioLate));
            out.put("doneCnt", integer(wb.done() == null ? 0 : wb.done().peekDone()));
            out.put("owed", integer(wb.owed()));
            List<Kasan.Report> reports = twin.kernel.kasan.reports();
            KObject poolMem = wb.poolMem();
            List<TlaValue> dead = new ArrayList<>();
            for (Kasan.Report r : reports) {
                if (r.kind() != Kasan.Kind.USE_AFTER_FREE) {
                    continue;
                }
                if (poolMem != null && r.object().equals(poolMem.name())) {
                    dead.add(str("pool"));
                }
                if (r.access().equals("complete")) {
                    dead.add(str("completion"));
                }
            }
            out.put("deadTouch", set(dead));
            out.put("nullDeref", bool(reports.stream().anyMatch(r -> r.kind() == Kasan.Kind.NULL_DEREF)));
            return out;
        });
    }

    private static TlaValue request(JavaTwin twin, MultiPage.RequestView r, List<Bio> held) {
        List<TlaValue> flags = new ArrayList<>();
        if (r.allocated()) {
            flags.add(str("ALLOCATED"));
        }
        if (r.completed()) {
            flags.add(str("COMPLETED"));
        }
        String bio = held.contains(r.bio()) ? "issued" : r.bio().inFlight() ? "plugged" : "idle";
        // the drain's free_block_bdev() leaves blk_idx as it was; the spec's blk is the block the request owns
        long blk = r.ownsBlock() || r.blkIdx() == 0 ? r.blkIdx() : 0;
        return record("flags", set(flags), "blk", integer(blk), "page", bool(r.hasPage()),
                "pps", CommonMapping.pps(r.pps()),
                "data", r.page() == null ? ZERO_PAGE : CommonMapping.page(r.page().data()),
                "bio", str(bio), "err", bool(r.bio().status() != 0),
                "epoch", CommonMapping.epoch(twin, r.limitEpoch()));
    }

    private static TlaValue zeroReq() {
        return record("flags", set(), "blk", integer(0), "page", bool(false), "pps", ZERO_PAGE, "data", ZERO_PAGE,
                "bio", str("idle"), "err", bool(false), "epoch", integer(0));
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
        TlaValue wbPc = state.get("wbPc");
        String pc = wbPc instanceof TlaValue.Str s ? s.value() : "";
        if (POOL_UNBORN.contains(pc) && CommonMapping.laterRun(state)) {
            switch (variable) {
                case "poolN", "cntOff", "nrI", "drainI", "owed", "doneCnt":
                    return integer(0);
                case "wbRet":
                    return str("ok");
                case "reqPool":
                    Map<TlaValue, TlaValue> zero = new TreeMap<>();
                    ((TlaValue.Fn) value).map().keySet().forEach(i -> zero.put(i, zeroReq()));
                    return TlaValue.fn(zero);
                default:
                    break;
            }
        }
        switch (variable) {
            case "wbRet":
                return value.equals(str("EBIO")) ? str("EIO") : value;
            case "wbReq":
                return REQ_DEAD.contains(pc) ? integer(-1) : value;
            case "doneCnt":
                return FRAME_DEAD.contains(pc) ? integer(0) : value;
            case "reqPool":
                Map<TlaValue, TlaValue> out = new TreeMap<>();
                ((TlaValue.Fn) value).map().forEach((i, req) -> out.put(i, liveFields(i, (TlaValue.Fn) req, pc, state)));
                return TlaValue.fn(out);
            default:
                return value;
        }
    }

    private static TlaValue liveFields(TlaValue i, TlaValue.Fn req, String pc, Map<String, TlaValue> state) {
        Map<TlaValue, TlaValue> m = new TreeMap<>(req.map());
        boolean moving = !str("idle").equals(req.field("bio"));
        if (!moving && !(pc.equals("submitBio") && i.equals(state.get("wbReq")))) {
            m.put(str("data"), ZERO_PAGE);
        }
        if (moving) {
            m.put(str("err"), bool(false));
        }
        return TlaValue.fn(m);
    }

    @Override
    public List<Integer> selectOrder(List<TraceStep> trace) {
        List<Integer> order = new ArrayList<>();
        for (TraceStep s : trace) {
            if ("wb".equals(s.process()) && "select".equals(s.label()) && str("limitCheck").equals(s.var("wbPc"))) {
                TlaValue.Fn req = (TlaValue.Fn) ((TlaValue.Fn) s.var("reqPool")).get(s.var("wbReq"));
                order.add((int) ((TlaValue.Int) ((TlaValue.Fn) req.field("pps")).get(integer(2))).value());
            }
        }
        return order;
    }

    @Override
    public List<String> deviceSteps() {
        return List.of("bioEndio");
    }

    @Override
    public DeviceStep device(JavaTwin twin, TraceStep prev, TraceStep step) {
        TlaValue.Fn before = (TlaValue.Fn) prev.var("endioPc");
        TlaValue.Fn after = (TlaValue.Fn) step.var("endioPc");
        for (Map.Entry<TlaValue, TlaValue> e : before.map().entrySet()) {
            if (!e.getValue().equals(after.get(e.getKey()))) {
                int i = (int) ((TlaValue.Int) e.getKey()).value();
                MultiPage wb = (MultiPage) twin.wb;
                Bio bio = wb.requests().get(i).bio();
                TlaValue.Fn req = (TlaValue.Fn) ((TlaValue.Fn) step.var("reqPool")).get(e.getKey());
                boolean err = bool(true).equals(req.field("err"));
                return new DeviceStep(bio, err ? -Errno.EIO : 0, "endio[" + i + "]");
            }
        }
        throw new IllegalStateException("state " + step.number() + ": no request's endio started");
    }
}
