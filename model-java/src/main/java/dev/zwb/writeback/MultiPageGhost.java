package dev.zwb.writeback;

import dev.zwb.kernel.Kernel;

/**
 * The multipage design's ghost and harness state, kept apart from the patch's C so that
 * {@link MultiPage} reads as the patched zram_writeback_slots(): which request owns which block,
 * the limit epoch a page was checked in, the loop counters the refinement mapping reads (the
 * iteration of zram_writeback_next_request(), the drain's request), and the label of the device
 * step that ends a request's bio. {@link MultiPage} calls one method per concern at the
 * statement it describes, in the same step; nothing here changes what the model does. Written
 * by the writeback task only.
 */
final class MultiPageGhost {

    /** A request's ghost fields (struct zram_wb_request has none of them). */
    static final class Req {
        /** The request owns its blk_idx (reserved, not yet handed to a slot or freed). */
        volatile boolean ownsBlock;
        /** The limit epoch of its page's check (0: dead until the next check). */
        volatile long limitEpoch;
    }

    private final Kernel kernel;
    /** The iteration of the running zram_writeback_next_request() (0 when none runs). */
    private volatile int nrI;
    /** The request the drain loop is at. */
    private volatile int drainI;

    MultiPageGhost(Kernel kernel) {
        this.kernel = kernel;
    }

    /** The limit check of {@code r}'s page passed in epoch {@code epoch}. */
    void checked(MultiPage.ZramWbRequest r, long epoch) {
        r.ghost.limitEpoch = epoch;
    }

    /** The limit epoch of {@code r}'s page (for the charge and the refund). */
    long limitEpoch(MultiPage.ZramWbRequest r) {
        return r.ghost.limitEpoch;
    }

    /** {@code r}'s page is done with its charge: its epoch is dead until the next check. */
    void limitSettled(MultiPage.ZramWbRequest r) {
        r.ghost.limitEpoch = 0;
    }

    /** alloc_block_bdev() gave {@code r} its block. */
    void ownsBlock(MultiPage.ZramWbRequest r) {
        r.ghost.ownsBlock = true;
    }

    /** {@code r}'s block went to its slot, or back to the bitmap. */
    void blockHandedOn(MultiPage.ZramWbRequest r) {
        r.ghost.ownsBlock = false;
    }

    /** {@code r}'s bio is about to be submitted: the device step {@code bioEndio} ends it. */
    void submitting(MultiPage.ZramWbRequest r) {
        r.bio.setDeviceStep(kernel, "bioEndio");
    }

    /** zram_writeback_next_request() is at iteration {@code i} (0 also when it returns). */
    void nextRequestAt(int i) {
        nrI = i;
    }

    /** The drain loop starts at request 0. */
    void drainStarts() {
        drainI = 0;
    }

    /** The drain loop moves to the next request (it stays at the last one). */
    void drainNext(int poolSize) {
        if (drainI + 1 < poolSize) {
            drainI++;
        }
    }

    int nrI() {
        return nrI;
    }

    int drainI() {
        return drainI;
    }
}
