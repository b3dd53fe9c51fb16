package dev.zwb.writeback;

import dev.zwb.bdev.Bio;
import dev.zwb.bdev.Block;
import dev.zwb.writeback.BatchedGhost.ReqState;
import dev.zwb.kernel.AtomicT;
import dev.zwb.kernel.Completion;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.ListHead;
import dev.zwb.kernel.Mutant;
import dev.zwb.kernel.Page;
import dev.zwb.kernel.SpinLock;
import dev.zwb.kernel.WaitQueue;
import dev.zwb.zram.PostProcessing;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramPpCtl;
import dev.zwb.zram.ZramPpSlot;

import java.util.List;

import static dev.zwb.zram.Zram.INVALID_BDEV_BLOCK;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * Sergey Senozhatsky's "zram: introduce writeback bio batching" as merged for v6.19 ([PATCHv6
 * 1/6], with 4/6 "drop wb_limit_lock", 5/6 "rework bdev block allocation", 6/6 "read slot block
 * idx under slot lock"), plus the 7.0 fixes bf62f69574b1 (rcu_read_lock in the endio, kfree_rcu
 * of wb_ctl) and 3e8d8eb8d7f5 (release the carried block), as in raspberrypi/linux
 * drivers/block/zram/zram_drv.c @052b6b2d (spec: spec/ZramBatched.tla). Requests cycle idle →
 * selected → in flight → done (the endio puts them on done_reqs under done_lock and wakes
 * done_wait) → completed by the task (zram_complete_done_reqs(), which alone decrements
 * num_inflight) → idle.
 *
 * <p>Locking context (v6.19): writeback_store() holds init_lock for read and pp_in_progress; the
 * wb-limit stores take init_lock for write, so they never run during a writeback and the task
 * reads and charges bd_wb_limit without a lock. Mainline (7.0+; every variant but as-released):
 * writeback_store() holds dev_lock (init_lock renamed) for write ({@link #devLockForWrite}), so
 * idle marking, compaction and the sysfs readers wait too; reads, writes, discards and
 * slot-free notifications take only slot locks and still run beside it.
 *
 * <p>Mainline differs from v6.19 further in its completion ({@code zramWritebackComplete}: no
 * slot_free(), size, priority and ZRAM_HUGE kept, {@link Zram#zramWritebackConvert}) and has
 * compressed writeback ({@link Zram#compressedWritebackStore}: readSlot copies the raw object,
 * the read decompresses it in {@code readDecompress}; switches RB_RECHECK_WB_ONLY, on in
 * mainline, and WB_DROPS_SIZE_PRIO). Names: this class and the zram package keep the 6.17 names
 * the other designs share; the 6.19 and 7.0 names are tabled in the package header of
 * {@code dev.zwb.zram} (package-info.java).
 *
 * <p>Left out of the cited copy: ZRAM_SAME's and ZRAM_HUGE's effect on the read of a written-back
 * slot beyond the raw page, recompression, the partial-IO path as such, allocation failures.
 *
 * <p>Spec labels, writeback task: {@code initWbCtl}, {@code scan}, {@code select},
 * {@code limitCheck}, {@code selectIdleReq}, {@code waitDone}, {@code waitSleep},
 * {@code reinitCompletion} (COMPLETION_REINIT), {@code completeDoneReqs} (one request per step),
 * {@code reserveBlock}, {@code readSlot}, {@code submitWbRequest}, {@code next},
 * {@code releaseReq}, {@code releaseBlock}, {@code drainWait}, {@code releaseCtl},
 * {@code releaseWbCtl}, {@code done}. Endio of a request (its first label is the device step
 * that ends the bio): {@code endioLock}, {@code endioWakeUp}, {@code endioRcuUnlock};
 * COMPLETION_REINIT {@code endioDec}, {@code endioComplete}. RCU: {@code rcuGp}.
 *
 * <p>Switches: NO_PP_RECHECK, LIMIT_AT_COMPLETION (v1: no charge at submission, a charge at every
 * successful completion, no refund), WB_CTL_UAF (no RCU: kfree(wb_ctl)), BLK_IDX_LEAK (no release
 * of the carried block), EARLY_PP_RELEASE (v3: release_pp_slot() before the ZRAM_PP_SLOT test),
 * PPS_NOT_OWNED (v1: no list_del_init() before submission), COMPLETION_REINIT (v2 – v4's
 * completion-based reaping, after the v4 1/6 patch; its blk_plug is not modelled), LOST_WAKEUP
 * (teaching: wake_up() before the publication); READ_BLKIDX_UNLOCKED and NO_READ_RECHECK (the
 * read path). As released (v6.19 – 7.0.11): WB_CTL_UAF, BLK_IDX_LEAK, NO_READ_RECHECK; mainline
 * (spec model batched/mainline): NO_READ_RECHECK, and with compressed writeback RB_RECHECK_WB_ONLY.
 *
 * <p>Implementation notes.
 * <pre>
 *   wb_ctl.idle_reqs     writeback task only, no lock
 *   wb_ctl.done_reqs     done_lock (endio and task); list_empty() read without it by wait_event
 *   wb_ctl.num_inflight  atomic_t; incremented before submit_bio(), decremented by the task only
 *                        (COMPLETION_REINIT: by the endio, atomic_dec_return)
 *   wb_ctl.done_wait     endio wakes it after dropping done_lock: the task can see the request
 *                        without that wake-up, finish and free wb_ctl first (WB_CTL_UAF)
 *   req fields           task only, except req.entry, which the endio links into done_reqs
 * </pre>
 * The locals blk_idx, req and ret of zram_writeback_slots() are fields (the spec's process
 * variables), written by the task only. Everything not in the C (a request's life, block
 * ownership, limit epochs, the locals the mapping reads, the device step's label) lives in
 * {@link BatchedGhost}: the C statements below are interleaved only with spec labels
 * ({@code at(...)}), {@code mutant(...)} checks and one {@code ghost.} call per concern. The v2 – v4
 * completion (COMPLETION_REINIT) is fenced at the end of the C.
 */
public final class Batched extends Writeback {

    /** The spec labels of the writeback task, the endios and RCU, in program order. */
    public static final List<String> LABELS = List.of("initWbCtl", "scan", "select",
            "limitCheck", "selectIdleReq", "waitDone", "waitSleep", "completeDoneReqs",
            "reserveBlock", "readSlot", "submitWbRequest", "next", "releaseReq", "releaseBlock",
            "drainWait", "releaseCtl", "releaseWbCtl", "done", "endioLock", "endioWakeUp",
            "endioRcuUnlock", "rcuGp", "readDecompress", "markIdle");

    /** The extra labels of the COMPLETION_REINIT (v2 – v4) reaping. */
    public static final List<String> COMPLETION_REINIT_LABELS = List.of("reinitCompletion",
            "endioDec", "endioComplete");

    /** ZRAM_WB_REQ_CNT, the default writeback_batch_size. */
    public static final int ZRAM_WB_REQ_CNT = 32;

    /** struct zram_wb_ctl. */
    static final class ZramWbCtl extends KObject {
        /** Accessed only by the writeback task. */
        final ListHead<ZramWbReq> idleReqs = ListHead.head(this);
        final SpinLock doneLock = new SpinLock(this);
        /** Protected by doneLock. */
        final ListHead<ZramWbReq> doneReqs = ListHead.head(this, doneLock);
        final WaitQueue doneWait = new WaitQueue(this);
        final AtomicT numInflight = new AtomicT(this, 0);
        /** COMPLETION_REINIT (v2 – v4) only: the shared completion and the in-flight list. */
        final Completion done = new Completion(this);
        final ListHead<ZramWbReq> inflightReqs = ListHead.head(this);

        ZramWbCtl(Kernel kernel) {
            super(kernel, "zram_wb_ctl");
        }
    }

    /** struct zram_wb_req: kzalloc()ed one by one by init_wb_ctl(). */
    static final class ZramWbReq extends KObject {
        final Bio bio = new Bio(this);
        final ListHead<ZramWbReq> entry = ListHead.node(this, this);
        volatile long blkIdx;
        volatile Page page;
        volatile ZramPpSlot pps;
        /** Not in the C: the request's ghost fields ({@link BatchedGhost}). */
        final BatchedGhost.Req ghost;

        ZramWbReq(Kernel kernel, int i) {
            super(kernel, "zram_wb_req[" + i + "]");
            this.ghost = new BatchedGhost.Req(i);
        }
    }

    private final int wbBatchSize;
    private volatile ZramWbCtl wbCtl;
    /** blk_idx of zram_writeback_slots(). */
    private volatile long blkIdx = INVALID_BDEV_BLOCK;
    /** req of zram_writeback_slots(): selected, not yet submitted. */
    private volatile ZramWbReq req;
    /** ret of zram_writeback_slots(). */
    private volatile int ret;
    /** Not in the C: the ghost and harness state; one call per concern, marked {@code ghost.}. */
    private final BatchedGhost ghost;

    /** The batched design with {@code wbBatchSize} requests (writeback_batch_size). */
    public Batched(Zram zram, Variant variant, int wbBatchSize) {
        super(zram, variant, Design.BATCHED);
        if (wbBatchSize < 1) {
            throw new IllegalArgumentException("writeback_batch_size must be at least 1, not " + wbBatchSize);
        }
        this.wbBatchSize = wbBatchSize;
        this.ghost = new BatchedGhost(kernel, endioFirst());
        zram.setLimitStoreExclusive(true);
        zram.setRbRecheckWbOnly(on(Defect.RB_RECHECK_WB_ONLY));
        if (on(Defect.RB_RECHECK_WB_ONLY) || on(Defect.WB_DROPS_SIZE_PRIO)) {
            // the two switches live in compressed writeback (their models set CompressedWb)
            zram.compressedWritebackStore(true);
        }
    }

    /** The label of an endio's first step, in which the device ends the bio. */
    private String endioFirst() {
        if (on(Defect.COMPLETION_REINIT)) {
            return "endioDec";
        }
        return on(Defect.LOST_WAKEUP) ? "endioWakeUp" : "endioLock";
    }

    /** The label initWbCtl, before writeback_store() takes the device lock (see the base class). */
    @Override
    protected void atStoreEntry() {
        at("initWbCtl");
    }

    /**
     * init_wb_ctl() (label {@code initWbCtl}, taken in {@link #atStoreEntry()}): the ctl, and
     * wb_batch_size requests on idle_reqs.
     */
    @Override
    protected boolean initWbCtl() {
        ZramWbCtl ctl = new ZramWbCtl(kernel);
        ghost.newCtl();
        for (int i = 0; i < wbBatchSize; i++) {
            ZramWbReq r = new ZramWbReq(kernel, i);
            r.page = new Page(); // alloc_page(): never fails in the model
            ListHead.listAdd(r.entry, ctl.idleReqs);
            ghost.allocated(r);
        }
        wbCtl = ctl;
        return true;
    }

    /**
     * release_wb_ctl() (label {@code releaseWbCtl}): WARN if anything is still in flight or done,
     * free the idle requests, then the ctl: kfree_rcu() since bf62f69574b1, kfree() before it
     * (WB_CTL_UAF).
     */
    @Override
    protected void releaseWbCtl() {
        ZramWbCtl ctl = wbCtl;
        if (ctl == null) {
            return;
        }
        at("releaseWbCtl");
        if (ctl.numInflight.atomicRead() != 0) {
            kernel.kasan.warn("release_wb_ctl", "num_inflight is " + ctl.numInflight.atomicRead());
        }
        if (!ListHead.listEmpty(ctl.doneReqs)) {
            kernel.kasan.warn("release_wb_ctl", "done_reqs is not empty");
        }
        ZramWbReq r;
        while ((r = ListHead.listFirstEntryOrNull(ctl.idleReqs)) != null) {
            ListHead.listDel(r.entry);
            releaseWbReq(r);
        }
        ghost.ctlReleased();
        if (on(Defect.WB_CTL_UAF)) {
            ctl.kfree();
        } else {
            kernel.rcu.kfreeRcu(ctl);
        }
    }

    /** release_wb_req(): __free_page(req-&gt;page), kfree(req). */
    private void releaseWbReq(ZramWbReq r) {
        r.page = null;
        ghost.freed(r);
        r.kfree();
    }

    /** zram_writeback_slots() (v6.19 + 7.0 fixes). */
    @Override
    protected int zramWritebackSlots(ZramPpCtl ctl) {
        ZramWbCtl wb = wbCtl;
        ZramPpSlot pps;
        ret = 0;
        blkIdx = INVALID_BDEV_BLOCK;
        req = null;
        for (;;) { // while ((pps = select_pp_slot(ctl)))
            at("select");
            pps = PostProcessing.selectPpSlot(ctl);
            if (pps == null) {
                break;
            }
            ghost.ppsSelected(pps);
            at("limitCheck");
            long limitEpoch = wbLimitCheck(false); // no wb_limit_lock since patch 4/6
            if (limitEpoch == WB_LIMIT_EXHAUSTED) {
                ret = -Errno.EIO;
                break;
            }

            for (;;) { // while (!req)
                at("selectIdleReq");
                if (req != null) {
                    break; // kept from a next: iteration
                }
                req = zramSelectIdleReq(wb);
                if (req != null) {
                    break;
                }
                // wait_event(done_wait, !list_empty(&done_reqs)); zram_complete_done_reqs()
                ghost.reapReturnsTo("selectIdleReq");
                int err = waitAndReap(wb);
                if (err != 0) {
                    ret = err; // BIO errors are not fatal; return the most recent one
                }
            }

            at("reserveBlock");
            if (blkIdx == INVALID_BDEV_BLOCK) {
                blkIdx = zram.zramReserveBdevBlock();
                if (blkIdx == INVALID_BDEV_BLOCK) {
                    ret = -Errno.ENOSPC;
                    break;
                }
            }

            at("readSlot");
            int index = ZramPpSlot.index(kernel, pps);
            table.zramSlotLock(index);
            if (!table.zramTestFlag(index, ZRAM_PP_SLOT)
                    || (zram.compressedWb() ? zram.readFromZspoolRaw(req.page, index)
                            : zram.zramReadFromZspool(req.page, index)) != 0) {
                next(index, pps);
                continue;
            }
            table.zramSlotUnlock(index);

            at("submitWbRequest");
            if (!on(Defect.PPS_NOT_OWNED)) {
                pps.listDelInit(); // from now on the pp-slot is owned by the req
            }
            req.blkIdx = blkIdx;
            req.pps = pps;
            req.bio.bioInit(Bio.Op.WRITE);
            req.bio.setBlock(req.blkIdx);
            req.bio.setEndIo(this::zramWritebackEndio);
            req.bio.bioAddPage(req.page);
            ghost.submitting(req, limitEpoch);
            zramSubmitWbRequest(wb, req);
            blkIdx = INVALID_BDEV_BLOCK;
            req = null;
        }

        at("releaseReq");
        if (req != null && !mutant(Mutant.BATCHED_SELECTED_REQ_NEVER_RELEASED)) {
            // Selected an idle request but never submitted it (wb limit, no block, no slot).
            releaseWbReq(req);
            req = null;
        }
        at("releaseBlock");
        if (blkIdx != INVALID_BDEV_BLOCK && !on(Defect.BLK_IDX_LEAK)) {
            zram.zramReleaseBdevBlock(blkIdx);
        }
        blkIdx = INVALID_BDEV_BLOCK; // with BLK_IDX_LEAK the bit stays set and nobody owns it

        if (on(Defect.COMPLETION_REINIT)) {
            drainCompletionReinit(wb); // v2 – v4, below
        } else {
            for (;;) { // while (atomic_read(&num_inflight) > 0)
                at("drainWait");
                if (wb.numInflight.atomicRead() <= 0) {
                    break;
                }
                ghost.reapReturnsTo("drainWait");
                int err = waitAndReap(wb);
                if (err != 0) {
                    ret = err;
                }
            }
        }
        ghost.drained();
        return ret;
    }

    /** The loop's {@code next:} (label {@code next}): unlock, release the pp-slot; blk_idx and req are kept. */
    private void next(int index, ZramPpSlot pps) {
        at("next");
        table.zramSlotUnlock(index);
        PostProcessing.releasePpSlot(zram, pps);
    }

    /**
     * wait_event(done_wait, !list_empty(&amp;done_reqs)) (labels {@code waitDone}, then
     * {@code waitSleep} after each wake-up), then zram_complete_done_reqs(); with
     * COMPLETION_REINIT, zram_wb_wait_for_completion() instead.
     */
    private int waitAndReap(ZramWbCtl wb) {
        if (on(Defect.COMPLETION_REINIT)) {
            return zramWbWaitForCompletion(wb); // v2 – v4, below
        }
        wb.doneWait.waitEvent(() -> !ListHead.listEmpty(wb.doneReqs), "waitDone", "waitSleep");
        return zramCompleteDoneReqs(wb);
    }

    /** zram_select_idle_req() (label {@code selectIdleReq}). */
    private ZramWbReq zramSelectIdleReq(ZramWbCtl wb) {
        ZramWbReq r = ListHead.listFirstEntryOrNull(wb.idleReqs);
        if (r != null) {
            ListHead.listDel(r.entry);
            ghost.selected(r);
        }
        return r;
    }

    /**
     * zram_submit_wb_request() (label {@code submitWbRequest}): charge the limit
     * (zram_account_writeback_submit(), unless LIMIT_AT_COMPLETION), count the request in flight
     * before submit_bio() (so an endio that runs at once is counted), submit.
     */
    private void zramSubmitWbRequest(ZramWbCtl wb, ZramWbReq r) {
        if (!on(Defect.LIMIT_AT_COMPLETION)) {
            zram.chargeWbLimit(ghost.limitEpoch(r));
        }
        wb.numInflight.atomicInc();
        if (on(Defect.COMPLETION_REINIT)) {
            ListHead.listAddTail(r.entry, wb.inflightReqs); // v2 – v4
        }
        r.bio.setPrivate(wb);
        ghost.inFlight(r);
        Block.submitBio(zram.bdev, r.bio);
    }

    /**
     * zram_complete_done_reqs(), one request per step (label {@code completeDoneReqs}): while
     * requests are in flight, pop one from done_reqs under done_lock (none: stop, "num_inflight
     * &gt; 0 doesn't mean we have done requests"), complete it, decrement num_inflight, release its
     * pp-slot and put it back on idle_reqs.
     */
    private int zramCompleteDoneReqs(ZramWbCtl wb) {
        int ret = 0;
        ghost.reapStarts();
        for (;;) { // while (atomic_read(&num_inflight) > 0)
            at("completeDoneReqs");
            if (wb.numInflight.atomicRead() <= 0) {
                break;
            }
            boolean locked = !mutant(Mutant.BATCHED_REAP_WITHOUT_DONE_LOCK);
            if (locked) {
                wb.doneLock.spinLockIrqsave();
            }
            ZramWbReq r = ListHead.listFirstEntryOrNull(wb.doneReqs);
            if (r != null) {
                ListHead.listDel(r.entry);
                ghost.completing(r);
            }
            if (locked) {
                wb.doneLock.spinUnlockIrqrestore();
            }
            if (r == null) {
                break;
            }
            int err = zramWritebackComplete(r);
            ghost.completed(r, err);
            if (err != 0) {
                ret = err;
            }
            wb.numInflight.atomicDec();
            releaseReqPps(r);
            ListHead.listAdd(r.entry, wb.idleReqs);
            ghost.idle(r);
        }
        ghost.reapEnds();
        return ret;
    }

    /** release_pp_slot(req-&gt;pps); req-&gt;pps = NULL (already done early with EARLY_PP_RELEASE). */
    private void releaseReqPps(ZramWbReq r) {
        if (on(Defect.EARLY_PP_RELEASE) && r.pps == null
                || mutant(Mutant.BATCHED_COMPLETED_PPS_NOT_RELEASED)) {
            return;
        }
        PostProcessing.releasePpSlot(zram, r.pps);
        r.pps = null;
    }

    /**
     * zram_writeback_complete(), within the reaping's step ({@code completeDoneReqs}): a bio
     * error refunds the limit (zram_account_writeback_rollback()) and releases the block (the
     * slot stays in memory). Otherwise bd_writes++, slot lock, and if the slot still has
     * ZRAM_PP_SLOT (not re-tested with NO_PP_RECHECK) it becomes ZRAM_WB on the request's block
     * (slot_free() first, as in 6.19; zramWritebackConvert() in 7.0), else the block is
     * released. bi_status reads 0 until the bio has ended (COMPLETION_REINIT completes requests
     * whose bio is still in flight).
     */
    private int zramWritebackComplete(ZramWbReq r) {
        int index = ZramPpSlot.index(kernel, r.pps);
        int err = r.bio.status();
        if (err != 0) {
            if (!on(Defect.LIMIT_AT_COMPLETION) && !mutant(Mutant.BATCHED_REFUND_DROPPED)) {
                zram.refundWbLimit(ghost.limitEpoch(r));
                if (mutant(Mutant.BATCHED_REFUND_DOUBLED)) {
                    zram.refundWbLimit(ghost.limitEpoch(r));
                }
            }
            zram.zramReleaseBdevBlock(r.blkIdx);
            return err;
        }
        if (on(Defect.EARLY_PP_RELEASE)) {
            // v3: "It's too early to release the pp_slot here": it clears ZRAM_PP_SLOT.
            PostProcessing.releasePpSlot(zram, r.pps);
            r.pps = null;
        }
        if (on(Defect.LIMIT_AT_COMPLETION)) {
            zram.chargeWbLimit(ghost.limitEpoch(r)); // v1: charged at every successful completion
        }
        zram.stats.bdWrites.incrementAndGet();
        noteWriteSucceeded(index); // ghost
        boolean slotLocked = !mutant(Mutant.BATCHED_COMPLETE_WITHOUT_SLOT_LOCK);
        if (slotLocked) {
            table.zramSlotLock(index);
        }
        if (!on(Defect.NO_PP_RECHECK) && !table.zramTestFlag(index, ZRAM_PP_SLOT)) {
            // slot_free(), or slot_free() and a new write, happened meanwhile
            zram.zramReleaseBdevBlock(r.blkIdx);
        } else if (slotFreeAtCompletion()) {
            zram.zramFreePage(index);
            table.zramSetFlag(index, ZRAM_WB);
            table.zramSetHandle(index, r.blkIdx);
            zram.stats.pagesStored.incrementAndGet();
        } else {
            zram.zramWritebackConvert(index, r.blkIdx, on(Defect.WB_KEEPS_HUGE_COUNT));
            if (on(Defect.WB_DROPS_PAGES_STORED)) {
                zram.stats.pagesStored.decrementAndGet(); // as slot_free() did; the page stays stored
            }
        }
        if (slotLocked) {
            table.zramSlotUnlock(index);
        }
        return 0;
    }

    /**
     * v6.19's completion calls slot_free() before it sets ZRAM_WB; 7.0 ("zram: do not
     * slot_free() written-back slots") keeps size, priority and ZRAM_HUGE. The as-released
     * variant is v6.19; WB_DROPS_SIZE_PRIO puts the old completion under compressed writeback.
     */
    private boolean slotFreeAtCompletion() {
        return v619() || on(Defect.WB_DROPS_SIZE_PRIO);
    }

    /** The as-released variant is v6.19; every other one is the 7.0+ code (mainline). */
    private boolean v619() {
        return variant().name().equals("as-released");
    }

    @Override
    protected boolean devLockForWrite() {
        return !v619();
    }

    /**
     * zram_writeback_endio() (IRQ context), after the device step that ended the bio. Merged:
     * rcu_read_lock() (since bf62f69574b1), under done_lock put the request on done_reqs
     * ({@code endioLock}), then wake_up(&amp;done_wait) ({@code endioWakeUp}), then
     * rcu_read_unlock() ({@code endioRcuUnlock}): the kfree_rcu() of wb_ctl waits for the
     * section. With WB_CTL_UAF there is no RCU and the task may have freed wb_ctl before the
     * wake-up. LOST_WAKEUP wakes first and publishes after.
     */
    private void zramWritebackEndio(Bio bio) {
        ZramWbReq r = (ZramWbReq) bio.owner(); // container_of(bio, struct zram_wb_req, bio)
        ZramWbCtl wb = (ZramWbCtl) bio.privateData();
        ghost.bioEnded(r);
        rcuReadLock();
        if (on(Defect.COMPLETION_REINIT)) {
            endioCompletionReinit(wb); // v2 – v4, below
        } else if (on(Defect.LOST_WAKEUP)) {
            wb.doneWait.wakeUp();
            at("endioLock");
            publishDone(wb, r);
        } else {
            publishDone(wb, r);
            at("endioWakeUp");
            wb.doneWait.wakeUp();
        }
        rcuReadUnlock();
    }

    /** spin_lock_irqsave(done_lock); list_add(&amp;req-&gt;entry, &amp;done_reqs); unlock. */
    private void publishDone(ZramWbCtl wb, ZramWbReq r) {
        boolean locked = !mutant(Mutant.ENDIO_PUBLISH_WITHOUT_DONE_LOCK);
        if (locked) {
            wb.doneLock.spinLockIrqsave();
        }
        ListHead.listAdd(r.entry, wb.doneReqs);
        ghost.done(r);
        if (locked) {
            wb.doneLock.spinUnlockIrqrestore();
        }
    }

    /** rcu_read_lock() of the endio (none with WB_CTL_UAF). */
    private void rcuReadLock() {
        if (!on(Defect.WB_CTL_UAF)) {
            kernel.rcu.rcuReadLock();
        }
    }

    /** rcu_read_unlock() of the endio (label {@code endioRcuUnlock}; none with WB_CTL_UAF). */
    private void rcuReadUnlock() {
        if (!on(Defect.WB_CTL_UAF)) {
            at("endioRcuUnlock");
            kernel.rcu.rcuReadUnlock();
        }
    }

    // ==== v2 – v4 completion (COMPLETION_REINIT) ==============================================
    // The reaping the batched series had before its v5: the endio decrements num_inflight and
    // the last one complete()s wb_ctl->done; the task waits on that completion, reinit_completion()s
    // it and treats every request on inflight_reqs as finished. The merged code above calls into
    // this section at four points, each marked "v2 – v4": the wait in the select loop
    // (waitAndReap), the drain, zram_submit_wb_request()'s list_add_tail() and the endio.

    /** v4's drain (label {@code drainWait}): one err = zram_wb_wait_for_completion() at the end. */
    private void drainCompletionReinit(ZramWbCtl wb) {
        at("drainWait");
        ghost.reapReturnsTo("releaseCtl");
        int err = zramWbWaitForCompletion(wb);
        if (err != 0) {
            ret = err;
        }
    }

    /**
     * v2 – v4's endio: {@code if (atomic_dec_return(&num_inflight) == 0) complete(&done)}
     * (labels {@code endioDec}, the device step, then {@code endioComplete}).
     */
    private void endioCompletionReinit(ZramWbCtl wb) {
        if (wb.numInflight.atomicDecReturn() == 0) {
            at("endioComplete");
            wb.done.complete();
        }
    }

    /**
     * The v2 – v4 wait, zram_wb_wait_for_completion(): {@code if (atomic_read(&num_inflight))
     * wait_for_completion_io(&done)} (label {@code waitDone}), {@code reinit_completion(&done)}
     * ({@code reinitCompletion}), then every request on inflight_reqs is treated as finished, one
     * per step ({@code completeDoneReqs}). A task that reads 0 after the last endio's decrement
     * but before its complete() skips the wait; the late complete() then satisfies a later wait
     * while new bios are in flight.
     */
    private int zramWbWaitForCompletion(ZramWbCtl wb) {
        ghost.reapStarts();
        at("waitDone");
        if (wb.numInflight.atomicRead() != 0) {
            wb.done.waitForCompletionIo();
        }
        at("reinitCompletion");
        wb.done.reinitCompletion();
        int ret = 0;
        for (;;) {
            at("completeDoneReqs");
            ZramWbReq r = ListHead.listFirstEntryOrNull(wb.inflightReqs);
            if (r == null) {
                break;
            }
            ListHead.listDel(r.entry);
            ghost.completing(r);
            int err = zramWritebackComplete(r);
            ghost.completed(r, err);
            if (err != 0) {
                ret = err;
            }
            releaseReqPps(r);
            ListHead.listAdd(r.entry, wb.idleReqs);
            ghost.idle(r);
        }
        ghost.reapEnds();
        return ret;
    }

    // ---- what the refinement mapping reads (ghost views, no memory touched) -----------------

    /** One request as the mapping sees it; {@code st} is the ghost state's name in lower case. */
    public record RequestView(int index, String st, long blkIdx, ZramPpSlot pps, Page page, Bio bio, int bioSlot) {
    }

    /** The requests of the current wb_ctl, in allocation order (empty before init_wb_ctl()). */
    public List<RequestView> requests() {
        return ghost.allReqs.stream().map(r -> new RequestView(r.ghost.index, r.ghost.st.name().toLowerCase(),
                r.blkIdx, r.pps, r.page, r.bio, r.ghost.bioSlot)).toList();
    }

    /** The indexes of the requests on idle_reqs, done_reqs, inflight_reqs (head first); empty without a ctl. */
    public List<Integer> idleReqs() {
        return indexes(w -> w.idleReqs);
    }

    public List<Integer> doneReqs() {
        return indexes(w -> w.doneReqs);
    }

    public List<Integer> inflightReqs() {
        return indexes(w -> w.inflightReqs);
    }

    private List<Integer> indexes(java.util.function.Function<ZramWbCtl, ListHead<ZramWbReq>> list) {
        ZramWbCtl wb = wbCtl;
        return wb == null ? List.of() : list.apply(wb).peekEntries().stream().map(r -> r.ghost.index).toList();
    }

    /** wb_ctl-&gt;num_inflight and the COMPLETION_REINIT completion's count (0 without a ctl). */
    public int numInflight() {
        ZramWbCtl wb = wbCtl;
        return wb == null ? 0 : Kernel.observe(wb.numInflight::atomicRead);
    }

    public long doneCount() {
        ZramWbCtl wb = wbCtl;
        return wb == null ? 0 : wb.done.peekDone();
    }

    /** wb_ctl's life: none, live, rcuPending (handed to kfree_rcu), freed. */
    public String ctlState() {
        ZramWbCtl wb = wbCtl;
        return wb == null ? "none" : wb.freed() ? "freed" : ghost.isCtlReleased() ? "rcuPending" : "live";
    }

    /** pps, blk_idx, req (index, or -1 for NULL), ret of zram_writeback_slots(). */
    public ZramPpSlot wbPps() {
        return ghost.wbPps();
    }

    public long carriedBlock() {
        return blkIdx;
    }

    public int reqIndex() {
        ZramWbReq r = req;
        return r == null ? -1 : r.ghost.index;
    }

    public int ret() {
        return ret;
    }

    /** The error the running reaping will hand to ret (0: none so far). */
    public int reapErr() {
        return ghost.reapErr();
    }

    /** Where zram_complete_done_reqs() returns to (the spec's wbRetPc). */
    public String retPc() {
        return ghost.retPc();
    }

    /** Slots one of whose bios ended without error. */
    public java.util.Set<Integer> okSlots() {
        return ghost.okSlots();
    }

    /** The index of the request whose bio is {@code bio}, or -1. */
    public int requestOf(Bio bio) {
        for (ZramWbReq r : ghost.allReqs) {
            if (r.bio == bio) {
                return r.ghost.index;
            }
        }
        return -1;
    }

    // ---- what the invariants see -----------------------------------------------------------

    @Override
    public void forEachBlockOwner(BlockOwners sink) {
        long carried = blkIdx;
        if (carried != INVALID_BDEV_BLOCK) {
            sink.owner(carried, "blk_idx of zram_writeback_slots");
        }
        for (ZramWbReq r : ghost.allReqs) {
            if (r.ghost.ownsBlock) {
                sink.owner(r.blkIdx, r.name());
            }
        }
    }

    @Override
    protected void forEachDesignLeak(Leaks sink) {
        if (wbCtl != null && !ghost.isCtlReleased()) {
            sink.leak("zram_wb_ctl");
        }
        for (ZramWbReq r : ghost.allReqs) {
            if (!r.freed()) {
                sink.leak(r.name() + " (" + r.ghost.st + ")");
            }
            if (r.page != null) {
                sink.leak("the page of " + r.name());
            }
        }
    }

    @Override
    public void forEachPpsHolder(PpsHolders sink) {
        for (ZramWbReq r : ghost.allReqs) {
            ZramPpSlot pps = r.pps;
            if (pps != null && !r.freed()) {
                sink.holder(r.name(), pps);
            }
        }
    }

    /**
     * The batched spec's own invariants: NoInflightReqReuse, the state form of NoNullPpsDeref,
     * and AllBiosAccounted once the task is past its drain.
     */
    @Override
    public void designChecks(Findings sink) {
        String budget = zram.ghost.limitAccountingViolation(zram.bdWbLimit());
        if (budget != null) {
            sink.report("WbLimitAccounted", budget);
        }
        SlotAccounting.check(zram, writebackMode, sink);
        for (ZramWbReq r : ghost.allReqs) {
            ReqState st = r.ghost.st;
            if ((st == ReqState.IDLE || st == ReqState.SELECTED || st == ReqState.FREED)
                    && r.bio.inFlight()) {
                sink.report("NoInflightReqReuse", r.name() + " is " + st + " with its bio in flight");
            }
            if ((st == ReqState.INFLIGHT || st == ReqState.DONE) && r.pps == null) {
                sink.report("NoNullPpsDeref", r.name() + " is " + st + " without a pp-slot");
            }
        }
        ZramWbCtl wb = wbCtl;
        if (!ghost.isDrained() || wb == null) {
            return;
        }
        int inflight = wb.numInflight.atomicRead();
        if (inflight != 0) {
            sink.report("AllBiosAccounted", "num_inflight is " + inflight + " after the drain");
        }
        if (!ListHead.listEmpty(wb.doneReqs)) {
            sink.report("AllBiosAccounted", "done_reqs is not empty after the drain");
        }
        for (ZramWbReq r : ghost.allReqs) {
            if (r.bio.inFlight()) {
                sink.report("AllBiosAccounted", r.name() + "'s bio is in flight after the drain");
            }
        }
    }
}
