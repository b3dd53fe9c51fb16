package dev.zwb.writeback;

import dev.zwb.kernel.Kernel;
import dev.zwb.zram.ZramPpSlot;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The batched design's ghost and harness state, kept apart from the C it describes so that
 * {@link Batched} reads as zram_writeback_slots() and its helpers: what the spec tracks beside
 * the kernel's own state (a request's life, which request owns which block, the limit epoch a
 * page was checked in, the slot its bio carries, the slots written without error), the locals
 * the refinement mapping reads (pps, where the reaping returns to, the error it will return),
 * and the label of the device step that ends a request's bio. {@link Batched} calls one method
 * per concern at the statement it describes, in the same step; nothing here changes what the
 * model does.
 *
 * <p>Written by the writeback task only, except {@link #done} and {@link #bioEnded} (the
 * endio, which the task's done_lock and the bio's completion order); read by the checks.
 */
final class BatchedGhost {

    /** The life of a request (the spec's req[r].st). */
    enum ReqState { IDLE, SELECTED, INFLIGHT, DONE, COMPLETING, FREED }

    /** A request's ghost fields (struct zram_wb_req has none of them). */
    static final class Req {
        /** Its place in init_wb_ctl()'s allocation order (the spec's request i + 1). */
        final int index;
        /** Where the request is in its life. */
        volatile ReqState st = ReqState.IDLE;
        /** The request owns its blk_idx (from submission until completion hands it on). */
        volatile boolean ownsBlock;
        /** The limit epoch of its page's check. */
        volatile long limitEpoch;
        /** The slot of the page its bio carries (set at submission), for the mapping. */
        volatile int bioSlot;

        Req(int index) {
            this.index = index;
        }
    }

    private final Kernel kernel;
    /** The label of the device step that ends a request's bio (the endio's first label). */
    private final String endioFirst;
    /** Every request of the current wb_ctl, for the invariant checks and the mapping. */
    final List<Batched.ZramWbReq> allReqs = new CopyOnWriteArrayList<>();
    /** Slots one of whose bios ended without error (the spec's wbOkSlots). */
    private final Set<Integer> okSlots = ConcurrentHashMap.newKeySet();
    /** The task is past its drain (AllBiosAccounted applies). */
    private volatile boolean drained;
    /** release_wb_ctl() has freed, or handed to kfree_rcu(), the current wb_ctl. */
    private volatile boolean ctlReleased;
    /** The local pps of zram_writeback_slots() (the spec's wbPps). */
    private volatile ZramPpSlot wbPps;
    /** Where the running (or last) reaping returns to (the spec's wbRetPc). */
    private volatile String retPc = "selectIdleReq";
    /** The error the running reaping will return (the C's local of the reaping; ret takes it on return). */
    private volatile int reapErr;

    BatchedGhost(Kernel kernel, String endioFirst) {
        this.kernel = kernel;
        this.endioFirst = endioFirst;
    }

    // ---- init_wb_ctl(), release_wb_ctl() ----------------------------------------------------

    /** init_wb_ctl() starts a new wb_ctl: nothing of the last one is tracked any more. */
    void newCtl() {
        allReqs.clear();
        okSlots.clear();
        ctlReleased = false;
        retPc = "selectIdleReq";
        drained = false;
    }

    /** init_wb_ctl() allocated {@code r}. */
    void allocated(Batched.ZramWbReq r) {
        allReqs.add(r);
    }

    /** release_wb_req() freed {@code r}. */
    void freed(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.FREED;
    }

    /** release_wb_ctl() freed the ctl, or handed it to kfree_rcu(). */
    void ctlReleased() {
        ctlReleased = true;
    }

    // ---- zram_writeback_slots() ------------------------------------------------------------

    /** select_pp_slot() returned {@code pps}. */
    void ppsSelected(ZramPpSlot pps) {
        wbPps = pps;
    }

    /** zram_select_idle_req() took {@code r} off idle_reqs. */
    void selected(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.SELECTED;
    }

    /**
     * {@code r} is about to be submitted: it owns its block, its bio carries the page of its
     * pp-slot, its page was checked in limit epoch {@code limitEpoch}, and its bio is ended by
     * the device step of the endio's first label.
     */
    void submitting(Batched.ZramWbReq r, long limitEpoch) {
        r.ghost.ownsBlock = true;
        r.ghost.bioSlot = r.pps.peekIndex();
        r.ghost.limitEpoch = limitEpoch;
        r.bio.setDeviceStep(kernel, endioFirst);
    }

    /** zram_submit_wb_request(): {@code r} is in flight from now on. */
    void inFlight(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.INFLIGHT;
    }

    /** The limit epoch of the check of {@code r}'s page (for the charge and the refund). */
    long limitEpoch(Batched.ZramWbReq r) {
        return r.ghost.limitEpoch;
    }

    /** A reaping starts that returns to {@code label} (the spec's wbRetPc). */
    void reapReturnsTo(String label) {
        retPc = label;
    }

    /** A reaping (zram_complete_done_reqs() or the v2 – v4 wait) starts with no error. */
    void reapStarts() {
        reapErr = 0;
    }

    /**
     * The reaping returns: its caller takes the error into {@code ret} in the same step, so the
     * mapping's wbRet reads {@code ret} again (a later -ENOSPC must not show an older EIO).
     */
    void reapEnds() {
        reapErr = 0;
    }

    /** The reaping took {@code r} off done_reqs (or inflight_reqs) to complete it. */
    void completing(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.COMPLETING;
    }

    /**
     * zram_writeback_complete() returned {@code err} for {@code r}: every path of it hands the
     * block on (to the slot, or back to the bitmap); an error is what the reaping returns.
     */
    void completed(Batched.ZramWbReq r, int err) {
        r.ghost.ownsBlock = false;
        if (err != 0) {
            reapErr = err;
        }
    }

    /** {@code r} is back on idle_reqs. */
    void idle(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.IDLE;
    }

    /** The task is past its drain. */
    void drained() {
        drained = true;
    }

    // ---- zram_writeback_endio() -------------------------------------------------------------

    /** The device ended {@code r}'s bio: without an error, the slot it carried was written. */
    void bioEnded(Batched.ZramWbReq r) {
        if (r.bio.status() == 0) {
            okSlots.add(r.ghost.bioSlot);
        }
    }

    /** The endio put {@code r} on done_reqs. */
    void done(Batched.ZramWbReq r) {
        r.ghost.st = ReqState.DONE;
    }

    // ---- what the mapping and the checks read ----------------------------------------------

    boolean isDrained() {
        return drained;
    }

    boolean isCtlReleased() {
        return ctlReleased;
    }

    ZramPpSlot wbPps() {
        return wbPps;
    }

    String retPc() {
        return retPc;
    }

    int reapErr() {
        return reapErr;
    }

    Set<Integer> okSlots() {
        return Set.copyOf(okSlots);
    }
}
