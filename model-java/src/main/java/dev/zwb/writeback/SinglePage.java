package dev.zwb.writeback;

import dev.zwb.bdev.Bio;
import dev.zwb.bdev.Block;
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
 * The single-page synchronous writeback of v6.13 – v6.18 (spec: spec/ZramSingle.tla):
 * zram_writeback_slots() as in
 * gregkh/linux drivers/block/zram/zram_drv.c @27997aca (v6.17), writing one page at a time with
 * an on-stack bio and submit_bio_wait(), the limit checked and charged under wb_limit_lock, the
 * block carried to the next slot when a slot is skipped, and freed after the loop.
 *
 * <p>Spec labels (spec/ZramSingle): writeback task {@code scan}, {@code select},
 * {@code limitCheck}, {@code allocBlock}, {@code readSlot}, {@code submitBio}, {@code bioWait},
 * {@code releaseOnError}, {@code relock}, {@code next}, {@code freeCarried}, {@code releaseCtl},
 * {@code done}; bio completion {@code bioEndio}.
 *
 * <p>Switches: NO_PP_RECHECK, BLK_IDX_LEAK (teaching: no free of the carried block) here;
 * READ_BLKIDX_UNLOCKED and NO_READ_RECHECK (the read path, in {@link Zram}). As released:
 * READ_BLKIDX_UNLOCKED.
 *
 * <p>Implementation notes. The C locals blk_idx (0: none; bit 0 is never allocated), page, bio,
 * ret and the completion are fields, so that the BlockOwnership check sees the carried block and
 * the refinement mapping the rest; only the writeback task writes them. Two ghosts beside them
 * (the last pp-slot selected, the epoch of the last passed limit check) are each set by one line
 * marked {@code // ghost}.
 */
public final class SinglePage extends Writeback {

    /** The spec labels of the writeback task and its bio completion, in program order. */
    public static final List<String> LABELS = List.of("scan", "select", "limitCheck",
            "allocBlock", "readSlot", "submitBio", "bioWait", "releaseOnError", "relock", "next",
            "freeCarried", "releaseCtl", "nextRun", "done", "bioEndio");

    /*
     * The locals of zram_writeback_slots() that the checks and the refinement mapping read are
     * fields (the spec's process variables), written by the writeback task only.
     */
    /** blk_idx: the reserved block, carried across skipped slots (0: none). */
    private volatile long blkIdx;
    /** page: alloc_page()d at the start; null before the first writeback. */
    private volatile Page page;
    /** The on-stack bio. */
    private volatile Bio bio;
    /** ret. */
    private volatile int ret;
    /** The on-stack completion of the last submit_bio_wait(); null before the first. */
    private volatile Completion done;
    /** Ghost: the limit epoch of the last passed check (the spec's wbCheckEpoch). */
    private volatile long limitEpoch;
    /** Ghost: the last pp-slot select_pp_slot() returned (the spec's wbPps). */
    private volatile ZramPpSlot wbPps;

    /** The locals the refinement mapping reads (spec wbPps, wbPage, wbRet, wbCheckEpoch, bio). */
    public record Locals(ZramPpSlot pps, Page page, int ret, long checkEpoch, Bio bio, Completion done) {
    }

    public SinglePage(Zram zram, Variant variant) {
        super(zram, variant, Design.SINGLE);
    }

    /** zram_writeback_slots() (v6.17). */
    @Override
    protected int zramWritebackSlots(ZramPpCtl ctl) {
        KObject frame = new KObject(kernel, "zram_writeback_slots stack frame (single)");
        ZramPpSlot pps;
        wbPps = null; // ghost
        done = null;
        limitEpoch = 0; // ghost
        ret = 0;
        blkIdx = 0;
        page = new Page(); // alloc_page(GFP_KERNEL): never fails in the model
        bio = new Bio(frame); // the on-stack bio
        for (;;) { // while ((pps = select_pp_slot(ctl)))
            at("select");
            pps = PostProcessing.selectPpSlot(ctl);
            if (pps == null) {
                break;
            }
            wbPps = pps; // ghost
            at("limitCheck");
            long epoch = wbLimitCheck(true);
            if (epoch == WB_LIMIT_EXHAUSTED) {
                ret = -Errno.EIO;
                break;
            }
            limitEpoch = epoch; // ghost

            at("allocBlock");
            if (blkIdx == 0) {
                blkIdx = zram.allocBlockBdev();
                if (blkIdx == 0) {
                    ret = -Errno.ENOSPC;
                    break;
                }
            }

            at("readSlot");
            int index = ZramPpSlot.index(kernel, pps);
            table.zramSlotLock(index);
            // The scan dropped the slot lock after setting ZRAM_PP_SLOT: a slot freed, written
            // or read since then has lost the flag and is not written back.
            if (!table.zramTestFlag(index, ZRAM_PP_SLOT) || zram.zramReadFromZspool(page, index) != 0) {
                next(index, pps);
                continue;
            }
            table.zramSlotUnlock(index);

            at("submitBio");
            bio.bioInit(Bio.Op.WRITE); // REQ_OP_WRITE | REQ_SYNC
            bio.setBlock(blkIdx);
            bio.bioAddPage(page);
            bio.setDeviceStep(kernel, "bioEndio"); // harness: the device step that ends it
            int err = submitBioWait(bio, frame);
            if (err != 0) {
                // BIO errors are not fatal: release this slot, keep the block for the next one,
                // and return the most recent error.
                at("releaseOnError");
                PostProcessing.releasePpSlot(zram, pps);
                ret = err;
                continue;
            }
            noteWriteSucceeded(index); // ghost

            at("relock");
            zram.stats.bdWrites.incrementAndGet();
            table.zramSlotLock(index);
            // The slot lock was dropped for the write: a slot freed, or freed and written again,
            // has lost ZRAM_PP_SLOT and must keep its (new) data. NO_PP_RECHECK skips the test.
            if (on(Defect.NO_PP_RECHECK) || table.zramTestFlag(index, ZRAM_PP_SLOT)) {
                if (mutant(Mutant.SINGLE_SET_WB_BEFORE_FREE_PAGE)) {
                    table.zramSetFlag(index, ZRAM_WB);
                    table.zramSetHandle(index, blkIdx);
                }
                zram.zramFreePage(index);
                table.zramSetFlag(index, ZRAM_WB);
                table.zramSetHandle(index, blkIdx);
                blkIdx = 0;
                zram.stats.pagesStored.incrementAndGet();
                zram.wbLimitLock.spinLock();
                zram.chargeWbLimit(limitEpoch);
                zram.wbLimitLock.spinUnlock();
            }
            next(index, pps);
        }

        at("freeCarried");
        if (blkIdx != 0 && !on(Defect.BLK_IDX_LEAK)) {
            zram.freeBlockBdev(blkIdx);
        }
        blkIdx = 0; // the local dies with the return
        frame.leaveFrame();
        return ret;
    }

    /** The {@code next:} label of zram_writeback_slots() (label {@code next}): unlock, release the pp-slot. */
    private void next(int index, ZramPpSlot pps) {
        at("next");
        table.zramSlotUnlock(index);
        PostProcessing.releasePpSlot(zram, pps);
    }

    /**
     * submit_bio_wait() (block/bio.c), inlined so that its two halves carry the spec's labels:
     * the submission belongs to {@code submitBio}, the sleep to {@code bioWait}. The device's
     * step {@code bioEndio} is the transfer and submit_bio_wait_endio(). The completion lives in
     * this stack frame.
     */
    private int submitBioWait(Bio bio, KObject frame) {
        Completion done = new Completion(frame);
        this.done = done;
        bio.setPrivate(done);
        bio.setEndIo(this::submitBioWaitEndio);
        Block.submitBio(zram.bdev, bio);
        at("bioWait");
        done.waitForCompletionIo();
        return bio.status();
    }

    /**
     * submit_bio_wait_endio(): complete(bio-&gt;bi_private). Runs on the device's IRQ thread, in
     * the device step {@code bioEndio}.
     */
    private void submitBioWaitEndio(Bio bio) {
        ((Completion) bio.privateData()).complete();
    }

    /** blk_idx: the block carried to the next slot (0: none), for the mapping. */
    public long carriedBlock() {
        return blkIdx;
    }

    /** Ghost: the locals of the running (or last) zram_writeback_slots(), or null (for the mapping). */
    public Locals locals() {
        Bio b = bio;
        return b == null ? null : new Locals(wbPps, page, ret, limitEpoch, b, done);
    }

    @Override
    public void forEachBlockOwner(BlockOwners sink) {
        long carried = blkIdx;
        if (carried != 0) {
            sink.owner(carried, "blk_idx of zram_writeback_slots");
        }
    }

    @Override
    public void forEachPpsHolder(PpsHolders sink) {
        // no requests: the pp-slot is a local, released before the next one is selected
    }
}
