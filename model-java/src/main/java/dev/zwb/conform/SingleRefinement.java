package dev.zwb.conform;

import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kernel;
import dev.zwb.writeback.SinglePage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.zwb.conform.TlaValue.bool;
import static dev.zwb.conform.TlaValue.integer;
import static dev.zwb.conform.TlaValue.record;
import static dev.zwb.conform.TlaValue.set;
import static dev.zwb.conform.TlaValue.str;
import static dev.zwb.conform.TlaValue.tuple;

/**
 * The refinement mapping of spec/ZramSingle.tla onto {@link SinglePage}: ZramCommon's variables
 * (see {@link CommonMapping}) and, field by field:
 * <pre>
 *   wbPc          the label the "wb" thread is parked at; "done" once writeback_store() returned
 *   scanPos       1 + the slots the scan has visited (ZramPpCtl's scanVisits ghost)
 *   ppCtl         {&lt;&lt;id, slot&gt;&gt;} of the pp-slots still in the buckets; id = the scan position that placed it
 *   wbPps         &lt;&lt;id, slot&gt;&gt; of the loop's pps (kept after it is released, as the spec keeps it); &lt;&lt;0, 0&gt;&gt; before
 *   wbBlk         blk_idx, the carried block
 *   wbPage        the page read from zsmalloc for the bio (the zero page before the first read)
 *   wbRet         ret: 0 "ok", -EIO "EIO", -ENOSPC "ENOSPC"
 *   wbCheckEpoch  the ghost epoch of the last passed limit check, less the set-up's stores; 0 before
 *   wbRun         which call of writeback_store() the task is in (Writeback's run ghost)
 *   bio           the on-stack bio: state inflight (submitted, not ended), done (ended, the task has
 *                 not waited yet: the completion's count), idle; blk = the sector's block,
 *                 data = its page's content, err = bi_status != 0
 * </pre>
 * At releaseOnError wbRet is the C's err (submit_bio_wait()'s return, which the C assigns to ret
 * after release_pp_slot(); the spec sets wbRet when the wait ends).
 * Compared through {@link #project}: wbRet "EBIO" is "EIO" (a failed bio and an exhausted limit both
 * return -EIO in the C); an idle bio's data is dead (the page is refilled before the next submit).
 * In a later call of writeback_store() (wbRun &gt; 1) the locals of zram_writeback_slots() are dead
 * during the scan (the spec reset them at nextRun, Java still holds the previous call's), and an idle
 * bio is dead whole (Java's is the new call's on-stack bio, the spec's the previous call's).
 */
final class SingleRefinement implements Refinement {

    /** The loop's locals before a later call's zram_writeback_slots() starts, as the spec's nextRun sets them. */
    private static final Map<String, TlaValue> SCAN_DEAD = Map.of("wbPps", tuple(integer(0), integer(0)),
            "wbPage", tuple(integer(0), integer(0)), "wbRet", str("ok"), "wbCheckEpoch", integer(0));

    @Override
    public Map<String, TlaValue> map(JavaTwin twin) {
        return Kernel.observe(() -> {
            Map<String, TlaValue> out = new LinkedHashMap<>();
            CommonMapping.map(twin, out);
            SinglePage wb = (SinglePage) twin.wb;
            CommonMapping.scan(twin, out);
            SinglePage.Locals l = wb.locals();
            out.put("wbPps", CommonMapping.pps(l == null ? null : l.pps()));
            out.put("wbBlk", integer(wb.carriedBlock()));
            Content page = l == null ? Content.JUNK : l.page().data();
            out.put("wbPage", CommonMapping.page(page.equals(Content.JUNK) ? Content.ZERO : page));
            out.put("wbRet", CommonMapping.ret(l == null ? 0 : l.ret()));
            if (l != null && l.bio() != null && l.bio().status() != 0 && twin.pc("wb", "done").equals("releaseOnError")) {
                // the C's err = submit_bio_wait(): ret = err follows release_pp_slot(); the spec sets wbRet at once
                out.put("wbRet", CommonMapping.ret(-Errno.EIO));
            }
            out.put("wbCheckEpoch", CommonMapping.epoch(twin, l == null ? 0 : l.checkEpoch()));
            CommonMapping.run(twin, out);
            Bio bio = l == null ? null : l.bio();
            String state = bio == null ? "idle" : bio.inFlight() ? "inflight"
                    : l.done() != null && l.done().completionDone() ? "done" : "idle";
            out.put("bio", record("state", str(state), "blk", integer(bio == null ? 0 : bio.block()),
                    "data", CommonMapping.page(bio == null || bio.page() == null ? null : bio.page().data()),
                    "err", bool(bio != null && bio.status() != 0)));
            return out;
        });
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
        boolean later = CommonMapping.laterRun(state);
        if (later && str("scan").equals(state.get("wbPc")) && SCAN_DEAD.containsKey(variable)) {
            return SCAN_DEAD.get(variable);
        }
        if (variable.equals("wbRet") && value.equals(str("EBIO"))) {
            return str("EIO");
        }
        if (variable.equals("bio") && value instanceof TlaValue.Fn f && str("idle").equals(f.field("state"))) {
            Map<TlaValue, TlaValue> m = new LinkedHashMap<>(f.map());
            m.put(str("data"), tuple(integer(0), integer(0)));
            if (later) {
                m.put(str("blk"), integer(0));
                m.put(str("err"), bool(false));
            }
            return TlaValue.fn(m);
        }
        return value;
    }

    @Override
    public List<Integer> selectOrder(List<TraceStep> trace) {
        return CommonMapping.selectOrder(trace);
    }

    @Override
    public DeviceStep device(JavaTwin twin, TraceStep prev, TraceStep step) {
        List<Bio> writes = twin.pendingWrites();
        if (writes.size() != 1) {
            throw new IllegalStateException("the device holds " + writes.size() + " write bios; single has one");
        }
        boolean err = bool(true).equals(((TlaValue.Fn) step.var("bio")).field("err"));
        return new DeviceStep(writes.get(0), err ? -Errno.EIO : 0, null);
    }

    @Override
    public List<String> deviceSteps() {
        return List.of("bioEndio");
    }
}
