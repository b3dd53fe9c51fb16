package dev.zwb.writeback;

import java.util.EnumSet;
import java.util.Set;

/**
 * The defect switches, named as in docs/defects/ (one page each) and everywhere else in zwb. Each
 * names the designs it applies to and the invariant it breaks: the name TLC reports for the
 * model with that switch alone ({@code spec/manifest.json}), which {@code dev.zwb.check.Invariant}
 * also uses. Two teaching switches of the specs are here too: BLK_IDX_LEAK on single, and
 * LOST_WAKEUP on batched.
 */
public enum Defect {
    /** Completion converts the slot without re-testing ZRAM_PP_SLOT under the slot lock. */
    NO_PP_RECHECK("NoLostOrStaleData", Design.SINGLE, Design.MULTIPAGE, Design.BATCHED),
    /** zram_read_page() loads the block index after dropping the slot lock (pre patch 6/6). */
    READ_BLKIDX_UNLOCKED("Reads", Design.SINGLE, Design.MULTIPAGE, Design.BATCHED),
    /** Patch 6/6's read path without the reviewer's re-check after the device read. */
    NO_READ_RECHECK("Reads", Design.SINGLE, Design.MULTIPAGE, Design.BATCHED),
    /** wb_limit checked before submission but charged only at completion. */
    LIMIT_AT_COMPLETION("WbLimit", Design.MULTIPAGE, Design.BATCHED),
    /** The multipage drain clears req-&gt;pps instead of req_pool[i].pps. */
    WRONG_PPS_CLEAR("NoDanglingPps", Design.MULTIPAGE),
    /** The multipage endio clears ALLOCATED before complete(); the drain frees the pool under it. */
    REQ_POOL_UAF("NoUseAfterFree", Design.MULTIPAGE),
    /** The batched endio's wake_up() after the task freed wb_ctl (CVE-2026-63951). */
    WB_CTL_UAF("NoUseAfterFree", Design.BATCHED),
    /**
     * A reserved block carried to the end of the loop is never released (batched as released;
     * on single a teaching switch: single without its final free_block_bdev()).
     */
    BLK_IDX_LEAK("BlockNoLeak", Design.SINGLE, Design.BATCHED),
    /** Batched v3: completion releases the pp-slot before testing ZRAM_PP_SLOT. */
    EARLY_PP_RELEASE("WrittenBackWhenUntouched", Design.BATCHED),
    /** Batched v1: the pp-slot stays in its bucket after submission. */
    PPS_NOT_OWNED("NoPpsSharedByTwoRequests", Design.BATCHED),
    /** Batched v2 – v4: endio completes a shared completion; the task reinits it. */
    COMPLETION_REINIT("NoLostOrStaleData", Design.BATCHED),
    /**
     * Compressed writeback (7.0+, on in mainline): decompress_bdev_page() re-checks only
     * ZRAM_WB, not the block, and fails the read with -EIO when the slot was freed or rewritten.
     */
    RB_RECHECK_WB_ONLY("ReadsSucceed", Design.BATCHED),
    /**
     * Compressed writeback with a completion that clears size and priority, as slot_free() did
     * before 7.0 ("zram: do not slot_free() written-back slots"): the read decompresses with
     * size 0.
     */
    WB_DROPS_SIZE_PRIO("Reads", Design.BATCHED),
    /**
     * scan_slots_for_writeback() without its mode tests (IDLE_WRITEBACK, HUGE_WRITEBACK,
     * INCOMPRESSIBLE_WRITEBACK): type=huge, idle, huge_idle and incompressible place every
     * allocated slot that is not on the device.
     */
    SCAN_IGNORES_MODE("PpSlotsMatchMode", Design.BATCHED),
    /**
     * The 7.0 completion ("zram: do not slot_free() written-back slots") keeps ZRAM_HUGE but
     * forgets to drop huge_pages; slot_free() skips the count of a ZRAM_WB slot, so it stays high.
     */
    WB_KEEPS_HUGE_COUNT("HugePagesAccounted", Design.BATCHED),
    /**
     * The 7.0 completion drops pages_stored as slot_free() did before it, though the page stays
     * stored (on the device) and slot_free() drops it again when the slot is freed.
     */
    WB_DROPS_PAGES_STORED("PagesStoredAccounted", Design.BATCHED),
    /**
     * Proposed (no kernel has it): zram_read_page() of a slot in memory takes the zsmalloc
     * handle under the slot lock and reads the object after dropping it; a free, an overwrite or
     * the writeback's completion frees the object first, and a write may be handed it again.
     */
    ZS_READ_UNLOCKED("NoFreedHandleUse", Design.SINGLE, Design.MULTIPAGE, Design.BATCHED),
    /**
     * Teaching (no kernel has it): the asynchronous read's child bio is not chained to the
     * parent (no bio_chain(), no bio_inc_remaining()), so zram_bio_read()'s bio_endio() completes
     * the parent before the device read lands in its page.
     */
    READ_UNCHAINED("Reads", Design.SINGLE, Design.MULTIPAGE, Design.BATCHED),
    /**
     * Teaching (spec only, never in any kernel): the batched endio calls wake_up() before it
     * publishes the request; the task can sleep for ever (TLC: deadlock).
     */
    LOST_WAKEUP("WritebackReturns", Design.BATCHED);

    private final String breaks;
    private final Set<Design> designs;

    Defect(String breaks, Design first, Design... rest) {
        this.breaks = breaks;
        this.designs = EnumSet.of(first, rest);
    }

    /**
     * The switch named {@code name}, as docs/defects/, the specs and the manifest spell it.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Defect parse(String name) {
        for (Defect d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown switch '" + name + "'; accepted: "
                + java.util.Arrays.toString(values()));
    }

    /** The name of the invariant this defect breaks. */
    public String breaks() {
        return breaks;
    }

    public boolean appliesTo(Design design) {
        return designs.contains(design);
    }
}
