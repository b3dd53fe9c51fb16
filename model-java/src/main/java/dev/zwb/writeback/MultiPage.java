package dev.zwb.writeback;

import dev.zwb.bdev.Bio;
import dev.zwb.bdev.Block;
import dev.zwb.kernel.BlkPlug;
import dev.zwb.kernel.Bitops;
import dev.zwb.kernel.Completion;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Mutant;
import dev.zwb.kernel.Page;
import dev.zwb.zram.PostProcessing;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramPpCtl;
import dev.zwb.zram.ZramPpSlot;

import java.util.List;

import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * Yuwen Chen's "[PATCH v3] zram: Implement multi-page write-back" (2025-11-05, Message-ID
 * tencent_25F89AABFE39535EF957519750D107B7D406@qq.com, see docs/sources.md; spec:
 * spec/ZramMultipage.tla), against the v6.17 single-page code: a
 * pool of requests (32, or the two on-stack req_prealloc when kzalloc fails), each with
 * ALLOCATED / COMPLETED bits, one on-stack completion shared by all of them, a blk_plug, and a
 * drain loop at the end. Comments cite the patch by function and statement.
 *
 * <p>Spec labels, writeback task (in program order): {@code scan}, {@code poolAlloc},
 * {@code nextRequest} (one iteration of zram_writeback_next_request() per step),
 * {@code startPlug}, {@code select}, {@code limitCheck}, {@code allocBlock}, {@code readSlot},
 * {@code next}, {@code submitBio}, {@code getRequest} (one iteration per step),
 * {@code waitCompletion}, {@code writebackComplete}, {@code completeNext}, {@code completeError},
 * {@code finishPlug}, {@code drainCount} (fixed REQ_POOL_UAF only), {@code drainTest},
 * {@code drainWait}, {@code drainComplete}, {@code drainCompleteNext}, {@code drainError},
 * {@code drainRelease}, {@code freePool}, {@code releaseCtl}, {@code done}. Device step
 * {@code bioEndio}; endio {@code endioSetCompleted}, {@code endioClearAllocated},
 * {@code endioComplete}.
 *
 * <p>Switches: NO_PP_RECHECK, LIMIT_AT_COMPLETION, WRONG_PPS_CLEAR, REQ_POOL_UAF (here);
 * READ_BLKIDX_UNLOCKED, NO_READ_RECHECK (the read path). As posted: WRONG_PPS_CLEAR,
 * REQ_POOL_UAF, LIMIT_AT_COMPLETION, READ_BLKIDX_UNLOCKED. The patch was never merged, so the
 * fixes are the smallest we can justify (the spec's): clear {@code req_pool[i].pps}; charge the
 * limit before submission and refund it on a bio error, but only into the budget it was taken
 * from (no limit store since the check); and, before the drain loop, take one completion per
 * submitted bio ({@code drainCount}): every endio calls complete() exactly once and complete()
 * is its last access, so afterwards no endio can still touch the pool or the on-stack
 * completion.
 *
 * <p>Implementation notes. The request pool, the held request {@code req} and the completion
 * counters are C locals of zram_writeback_slots(), kept in fields for the invariant checks and
 * written only by the writeback task. Everything not in the patch (block ownership, limit
 * epochs, the loop counters the mapping reads, the device step's label) lives in
 * {@link MultiPageGhost}: the C statements are interleaved only with spec labels
 * ({@code at(...)}), {@code mutant(...)} checks, the endio's memory accesses
 * ({@code r.mem.touch(...)}, for KASAN) and one {@code ghost.} call per concern. A request's fields are written by the task; its
 * {@code flags} word is shared with the endio (atomic bit ops, see {@link Bitops}); its
 * {@code pps}, {@code blkIdx} and {@code bio} status reach the task through the completion (or,
 * as posted, through the ALLOCATED bit). Every access the endio makes touches the pool's memory
 * and the completion's frame, so REQ_POOL_UAF shows as a use-after-free report. The plug is
 * flushed when the task sleeps (schedule() and io_schedule_prepare() do; so does the spec's
 * SchedSubmitWork when it sleeps on the completion).
 */
public final class MultiPage extends Writeback {

    /** The spec labels of the writeback task, its bios and their endio, in program order. */
    public static final List<String> LABELS = List.of("scan", "poolAlloc", "nextRequest",
            "startPlug", "select", "limitCheck", "allocBlock", "readSlot", "next", "submitBio",
            "getRequest", "waitCompletion", "writebackComplete", "completeNext", "completeError",
            "finishPlug", "drainCount", "drainTest", "drainWait", "drainComplete",
            "drainCompleteNext", "drainError", "drainRelease", "freePool", "releaseCtl", "nextRun", "done",
            "bioEndio", "endioSetCompleted", "endioClearAllocated", "endioComplete");

    /** ZRAM_WB_REQ_CNT. */
    public static final int ZRAM_WB_REQ_CNT = 32;
    /** ARRAY_SIZE(req_prealloc). */
    public static final int REQ_PREALLOC_CNT = 2;
    /** The request has been allocated (is in use by the task or in flight). */
    static final int ZRAM_WB_REQUEST_ALLOCATED = 0;
    /** The request has been processed by the block layer. */
    static final int ZRAM_WB_REQUEST_COMPLETED = 1;

    /** struct zram_wb_request: one element of the pool, living in the pool's memory. */
    static final class ZramWbRequest {
        final KObject mem;
        final String name;
        final Bio bio;
        final long[] flags = new long[1];
        Completion done;
        volatile long blkIdx;
        volatile Page page;
        volatile ZramPpSlot pps;
        /** The fix's limit-store generation at this page's check (see Zram#wbLimitGen). */
        long limitGen;
        /** Not in the C: the request's ghost fields ({@link MultiPageGhost}). */
        final MultiPageGhost.Req ghost = new MultiPageGhost.Req();

        ZramWbRequest(KObject mem, int i) {
            this.mem = mem;
            this.name = mem.name() + "[" + i + "]";
            this.bio = new Bio(mem);
        }
    }

    private final int poolSize;
    private volatile boolean kzallocFails;
    /** ARRAY_SIZE(req_prealloc): the patch's 2, or a model's smaller PreallocSize. */
    private volatile int preallocCnt = REQ_PREALLOC_CNT;

    private volatile ZramWbRequest[] reqPool;
    private volatile KObject poolMem;
    private volatile ZramWbRequest req;
    private volatile int cntOff;
    /** The fix of REQ_POOL_UAF: bios submitted, and completions the task has taken. */
    private volatile long submitted;
    private volatile long waited;
    /** C locals of zram_writeback_slots() the refinement mapping reads. */
    private volatile Completion done;
    private volatile int ret;
    /** Not in the C: the ghost and harness state; one call per concern, marked {@code ghost.}. */
    private final MultiPageGhost ghost;

    /** The multipage design with a pool of {@code poolSize} requests (32 in the patch). */
    public MultiPage(Zram zram, Variant variant, int poolSize) {
        super(zram, variant, Design.MULTIPAGE);
        if (poolSize < 1) {
            throw new IllegalArgumentException("the request pool must hold at least 1 request, not " + poolSize);
        }
        this.poolSize = poolSize;
        this.ghost = new MultiPageGhost(kernel);
    }

    /** Makes the pool's kzalloc fail, so the two on-stack req_prealloc are used. */
    public void setKzallocFails(boolean fails) {
        this.kzallocFails = fails;
    }

    /** Sizes req_prealloc (a model's PreallocSize; the patch has 2). */
    public void setPreallocCnt(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("req_prealloc must hold at least 1 request, not " + n);
        }
        this.preallocCnt = n;
    }

    /** zram_writeback_slots() as the patch rewrites it. */
    @Override
    protected int zramWritebackSlots(ZramPpCtl ctl) {
        KObject frame = new KObject(kernel, "zram_writeback_slots stack frame (multipage)");
        Completion done = new Completion(frame); // DECLARE_COMPLETION_ONSTACK(done)
        this.done = done;
        ret = 0;

        at("poolAlloc");
        if (kzallocFails) {
            poolMem = frame; // req_prealloc[2] lives in this stack frame
            reqPool = newPool(frame, preallocCnt);
        } else {
            poolMem = new KObject(kernel, "req_pool");
            reqPool = newPool(poolMem, poolSize);
        }
        for (ZramWbRequest r : reqPool) {
            r.done = done;
            r.flags[0] = 0;
        }
        cntOff = 0;
        submitted = 0;
        waited = 0;
        req = zramWritebackNextRequest("nextRequest");
        if (req == null) {
            ret = -Errno.ENOMEM;
        } else {
            writebackLoop(ctl, done);
        }

        at("freePool"); // out_free_req_pool: kfree(req_pool); return
        if (poolMem != frame) {
            poolMem.kfree();
        }
        req = null;
        frame.leaveFrame(); // the on-stack completion (and req_prealloc) die here
        return ret;
    }

    private static ZramWbRequest[] newPool(KObject mem, int n) {
        ZramWbRequest[] pool = new ZramWbRequest[n];
        for (int i = 0; i < n; i++) {
            pool[i] = new ZramWbRequest(mem, i);
        }
        return pool;
    }

    /** zram_writeback_slots() from blk_start_plug() to the end of the drain loop; sets ret. */
    private void writebackLoop(ZramPpCtl ctl, Completion done) {
        BlkPlug plug = new BlkPlug();
        at("startPlug");
        BlkPlug.blkStartPlug(plug);
        for (;;) {
            at("select");
            req.pps = PostProcessing.selectPpSlot(ctl);
            if (req.pps == null) {
                break;
            }
            at("limitCheck");
            long epoch = wbLimitCheck(true);
            if (epoch == WB_LIMIT_EXHAUSTED) {
                ret = -Errno.EIO;
                break;
            }
            ghost.checked(req, epoch);
            req.limitGen = lastCheckGen; // the fix's generation, read in the check

            at("allocBlock");
            if (req.blkIdx == 0) {
                req.blkIdx = zram.allocBlockBdev();
                if (req.blkIdx == 0) {
                    ret = -Errno.ENOSPC;
                    break;
                }
                ghost.ownsBlock(req);
            }

            at("readSlot");
            int index = ZramPpSlot.index(kernel, req.pps);
            table.zramSlotLock(index);
            if (!table.zramTestFlag(index, ZRAM_PP_SLOT)
                    || zram.zramReadFromZspool(req.page, index) != 0) {
                unlockAndRelease("next", index, req);
                continue;
            }
            table.zramSlotUnlock(index);

            at("submitBio");
            req.bio.bioInit(Bio.Op.WRITE); // REQ_OP_WRITE | REQ_SYNC
            req.bio.setBlock(req.blkIdx);
            req.bio.setEndIo(this::zramWritebackEndio);
            req.bio.setPrivate(req);
            req.bio.bioAddPage(req.page);
            ghost.submitting(req);
            req.pps.listDelInit(); // the request now owns the pp-slot
            if (!on(Defect.LIMIT_AT_COMPLETION)) {
                chargeLimit(ghost.limitEpoch(req)); // the fix: charge before submission
            }
            Block.submitBio(zram.bdev, req.bio); // into the plug
            submitted++;

            do {
                req = zramWritebackNextRequest("getRequest");
                if (req == null) {
                    BlkPlug.blkFinishPlug(plug);
                    at("waitCompletion");
                    done.waitForCompletionIo();
                    waited++;
                    BlkPlug.blkStartPlug(plug);
                }
            } while (req == null);
            int err = zramWritebackComplete(req, "writebackComplete", "completeNext");
            if (err != 0) {
                // BIO errors are not fatal; return the most recent one. The block stays with req.
                at("completeError");
                PostProcessing.releasePpSlot(zram, req.pps);
                req.pps = null;
                ret = err;
            }
        }
        at("finishPlug");
        ghost.drainStarts();
        BlkPlug.blkFinishPlug(plug);
        if (req != null) {
            Bitops.clearBit(ZRAM_WB_REQUEST_ALLOCATED, req.flags);
        }
        if (!on(Defect.REQ_POOL_UAF)) {
            // The fix: take one completion per submitted bio before the drain loop.
            for (;;) {
                at("drainCount");
                if (waited == submitted) {
                    break;
                }
                done.waitForCompletionIo();
                waited++;
            }
        }
        for (ZramWbRequest r : reqPool) {
            for (;;) {
                at("drainTest");
                if (!Bitops.testBit(ZRAM_WB_REQUEST_ALLOCATED, r.flags)) {
                    break;
                }
                at("drainWait");
                done.waitForCompletionIo();
                waited++;
            }
            int err = zramWritebackComplete(r, "drainComplete", "drainCompleteNext");
            if (err != 0) {
                at("drainError");
                PostProcessing.releasePpSlot(zram, r.pps);
                // As posted the patch clears req->pps, the main loop's last request, and leaves
                // req_pool[i].pps pointing at the freed pp-slot.
                (on(Defect.WRONG_PPS_CLEAR) ? req : r).pps = null;
                ret = err;
            }
            at("drainRelease");
            if (r.blkIdx != 0 && !mutant(Mutant.MULTIPAGE_DRAIN_KEEPS_BLOCK)) {
                zram.freeBlockBdev(r.blkIdx);
                ghost.blockHandedOn(r);
            }
            r.page = null; // __free_page()
            ghost.drainNext(reqPool.length);
        }
    }

    /**
     * A {@code next:} label (the loop's, label {@code next}; zram_writeback_complete()'s, labels
     * {@code completeNext} / {@code drainCompleteNext}): slot unlock, release_pp_slot(),
     * pps = NULL. The request keeps its block.
     */
    private void unlockAndRelease(String label, int index, ZramWbRequest r) {
        at(label);
        table.zramSlotUnlock(index);
        PostProcessing.releasePpSlot(zram, r.pps);
        r.pps = null;
    }

    /**
     * zram_writeback_next_request(): round robin from cnt_off, one iteration per step
     * (label {@code label}), allocating a request's page the first time it is used (v3:
     * "Postpone the page allocation"; alloc_page never fails here), taking the first request
     * whose ALLOCATED bit test_and_set_bit() finds clear.
     */
    private ZramWbRequest zramWritebackNextRequest(String label) {
        int cnt = reqPool.length;
        for (int i = cntOff; i < cnt + cntOff; i++) {
            ghost.nextRequestAt(i - cntOff);
            at(label);
            ZramWbRequest r = reqPool[i % cnt];
            if (r.page == null) {
                r.page = new Page();
            }
            if (!Bitops.testAndSetBit(ZRAM_WB_REQUEST_ALLOCATED, r.flags)) {
                cntOff = (i + 1) % cnt;
                ghost.nextRequestAt(0);
                return r;
            }
        }
        ghost.nextRequestAt(0);
        return null;
    }

    /**
     * zram_writeback_complete() (label {@code label}): nothing unless the endio marked
     * the request COMPLETED. A bio error is returned (the slot stays in memory, the block with
     * the request; the fix of LIMIT_AT_COMPLETION refunds the charge). Otherwise bd_writes++,
     * slot lock, re-test ZRAM_PP_SLOT (unless NO_PP_RECHECK), convert the slot to ZRAM_WB on the
     * request's block (charging the limit here as posted); then its {@code next:}
     * ({@code nextLabel}).
     */
    private int zramWritebackComplete(ZramWbRequest r, String label, String nextLabel) {
        at(label);
        if (!Bitops.testAndClearBit(ZRAM_WB_REQUEST_COMPLETED, r.flags)) {
            return 0;
        }
        int err = r.bio.status();
        if (err != 0) {
            if (!on(Defect.LIMIT_AT_COMPLETION) && !mutant(Mutant.MULTIPAGE_REFUND_DROPPED)) {
                refundLimit(r);
            }
            ghost.limitSettled(r);
            return err;
        }
        int index = ZramPpSlot.index(kernel, r.pps);
        zram.stats.bdWrites.incrementAndGet();
        noteWriteSucceeded(index); // ghost
        table.zramSlotLock(index);
        if (on(Defect.NO_PP_RECHECK) || table.zramTestFlag(index, ZRAM_PP_SLOT)) {
            zram.zramFreePage(index);
            table.zramSetFlag(index, ZRAM_WB);
            table.zramSetHandle(index, r.blkIdx);
            r.blkIdx = 0;
            ghost.blockHandedOn(r);
            zram.stats.pagesStored.incrementAndGet();
            if (on(Defect.LIMIT_AT_COMPLETION)) {
                chargeLimit(ghost.limitEpoch(r));
            }
        }
        ghost.limitSettled(r);
        unlockAndRelease(nextLabel, index, r);
        return 0;
    }

    private void chargeLimit(long checkEpoch) {
        zram.wbLimitLock.spinLock();
        zram.chargeWbLimit(checkEpoch);
        zram.wbLimitLock.spinUnlock();
    }

    /** The fix's refund: only into the budget the charge was taken from. */
    private void refundLimit(ZramWbRequest r) {
        zram.wbLimitLock.spinLock();
        if (r.limitGen == zram.wbLimitGen() || mutant(Mutant.MULTIPAGE_REFUND_IGNORES_LIMIT_GEN)) {
            zram.refundWbLimit(ghost.limitEpoch(r));
        }
        zram.wbLimitLock.spinUnlock();
    }

    /**
     * zram_writeback_endio() (IRQ context), after the device step {@code bioEndio}:
     * set_bit(COMPLETED) ({@code endioSetCompleted}), clear_bit(ALLOCATED)
     * ({@code endioClearAllocated}), complete(req-&gt;done) ({@code endioComplete}). Once ALLOCATED
     * is clear the posted drain may free the pool and return, so the last step can touch freed
     * memory (REQ_POOL_UAF); the model records it and carries on.
     */
    private void zramWritebackEndio(Bio bio) {
        ZramWbRequest r = (ZramWbRequest) bio.privateData();
        at("endioSetCompleted");
        r.mem.touch("req->flags");
        Bitops.setBit(ZRAM_WB_REQUEST_COMPLETED, r.flags);
        at("endioClearAllocated");
        r.mem.touch("req->flags");
        Bitops.clearBit(ZRAM_WB_REQUEST_ALLOCATED, r.flags);
        at("endioComplete");
        r.mem.touch("req->done");
        r.done.complete();
    }

    // ---- what the refinement mapping reads (ghost views, no memory touched) -----------------

    /** One request of the pool as the mapping sees it; {@code ownsBlock} is the ghost of that name. */
    public record RequestView(boolean allocated, boolean completed, long blkIdx, boolean hasPage,
                              ZramPpSlot pps, Page page, Bio bio, long limitEpoch, boolean ownsBlock) {
    }

    /** The pool's requests (empty before the pool is allocated; kept after it is freed). */
    public List<RequestView> requests() {
        ZramWbRequest[] pool = reqPool;
        if (pool == null) {
            return List.of();
        }
        List<RequestView> out = new java.util.ArrayList<>();
        for (ZramWbRequest r : pool) {
            out.add(new RequestView(Bitops.testBit(ZRAM_WB_REQUEST_ALLOCATED, r.flags),
                    Bitops.testBit(ZRAM_WB_REQUEST_COMPLETED, r.flags), r.blkIdx, r.page != null, r.pps,
                    r.page, r.bio, r.ghost.limitEpoch, r.ghost.ownsBlock));
        }
        return out;
    }

    /** The index of the request the task holds (req), or -1 for NULL. */
    public int reqIndex() {
        ZramWbRequest[] pool = reqPool;
        ZramWbRequest r = req;
        if (pool == null || r == null) {
            return -1;
        }
        return java.util.Arrays.asList(pool).indexOf(r);
    }

    /** The index of the request whose bio is {@code bio}, or -1. */
    public int requestOf(Bio bio) {
        ZramWbRequest[] pool = reqPool;
        for (int i = 0; pool != null && i < pool.length; i++) {
            if (pool[i].bio == bio) {
                return i;
            }
        }
        return -1;
    }

    /** cnt_off, the loop's ret, the iteration of zram_writeback_next_request(), the drain's i. */
    public int cntOff() {
        return cntOff;
    }

    public int ret() {
        return ret;
    }

    public int nrI() {
        return ghost.nrI();
    }

    public int drainI() {
        return ghost.drainI();
    }

    /** Bios submitted less completions taken (the spec's owed). */
    public long owed() {
        return submitted - waited;
    }

    /** The on-stack completion of the running (or last) writeback; null before. */
    public Completion done() {
        return done;
    }

    /** The memory the pool lives in (req_pool, or the stack frame for req_prealloc); null before. */
    public KObject poolMem() {
        return poolMem;
    }

    /** The requests of the pool while its memory is alive; none before or after. */
    private ZramWbRequest[] livePool() {
        ZramWbRequest[] pool = reqPool;
        KObject mem = poolMem;
        return pool == null || mem == null || mem.freed() ? new ZramWbRequest[0] : pool;
    }

    @Override
    public void forEachBlockOwner(BlockOwners sink) {
        for (ZramWbRequest r : livePool()) {
            if (r.ghost.ownsBlock) {
                sink.owner(r.blkIdx, r.name);
            }
        }
    }

    @Override
    protected void forEachDesignLeak(Leaks sink) {
        ZramWbRequest[] pool = reqPool;
        KObject mem = poolMem;
        if (pool == null) {
            return;
        }
        if (!mem.freed()) {
            sink.leak(mem.name());
        }
        for (ZramWbRequest r : pool) {
            if (r.page != null) {
                sink.leak("the page of " + r.name);
            }
        }
    }

    @Override
    public void forEachPpsHolder(PpsHolders sink) {
        for (ZramWbRequest r : livePool()) {
            ZramPpSlot pps = r.pps;
            if (pps != null) {
                sink.holder(r.name, pps);
            }
        }
    }
}
