package dev.zwb.check;

/**
 * The invariants, named exactly as the TLA+ specs name them (the name TLC reports), each with the
 * promise of the defect catalogue (docs/defects/README.md) it belongs to: NoLostOrStaleData, BlockOwnership, WbLimit,
 * MemoryLifetime, Reads, WrittenBackWhenUntouched, WritebackReturns, and for batched Accounting
 * (huge_pages, pages_stored) and WritebackMode (the scan's type= filter).
 */
public enum Invariant {
    /**
     * Every slot nobody holds locked reads back as the latest version written to it: from memory,
     * or from the block its handle names if ZRAM_WB; a freed slot as the zero page.
     */
    NoLostOrStaleData("NoLostOrStaleData"),
    /** No block has two owners (ZRAM_WB slots, requests, the loop's carried block). */
    BlockNoDoubleUse("BlockOwnership"),
    /** Every set bitmap bit has an owner (after writeback returns: a slot). */
    BlockNoLeak("BlockOwnership"),
    /** Every owned block is set in the bitmap. */
    BlockHeldIsReserved("BlockOwnership"),
    /**
     * With the limit enabled, the pages charged to the budget (less refunds) whose limit check
     * came after the latest limit store never exceed the value stored.
     */
    WbLimit("WbLimit"),
    /**
     * Batched: with the limit enabled, bd_wb_limit plus the pages charged and not refunded is the
     * value stored (a refund dropped or doubled on a bio error breaks it).
     */
    WbLimitAccounted("WbLimit"),
    /** A read returns a version its slot held while the read ran. */
    Reads("Reads"),
    /** No read fails unless the device failed it (compressed writeback's -EIO on a change). */
    ReadsSucceed("Reads"),
    /** Nothing freed is touched: no use after free, no double free, no list corruption. */
    NoUseAfterFree("MemoryLifetime"),
    /** No zsmalloc handle is read after its object was zs_free()d (spec ZramCommon). */
    NoFreedHandleUse("MemoryLifetime"),
    /** No NULL pp-slot pointer is dereferenced (batched also: no submitted request lacks one). */
    NoNullPpsDeref("MemoryLifetime"),
    /** No live request points to a released pp-slot. */
    NoDanglingPps("MemoryLifetime"),
    /** No pp-slot is held by two requests. */
    NoPpsSharedByTwoRequests("MemoryLifetime"),
    /** Batched: a request that is idle, selected or freed has no bio in flight. */
    NoInflightReqReuse("MemoryLifetime"),
    /**
     * Batched: once the task is past its drain, num_inflight is 0, done_reqs is empty and no bio
     * is in flight (release_wb_ctl's WARN_ONs).
     */
    AllBiosAccounted("WritebackReturns"),
    /**
     * After writeback returns: a slot nothing touched during the writeback, one of whose writes
     * to the device succeeded, is ZRAM_WB (what EARLY_PP_RELEASE breaks).
     */
    WrittenBackWhenUntouched("WrittenBackWhenUntouched"),
    /**
     * Batched: huge_pages counts the ZRAM_HUGE slots that are not ZRAM_WB (7.0's completion keeps
     * the flag and drops the count; 6.19's clears both).
     */
    HugePagesAccounted("Accounting"),
    /** Batched: pages_stored counts the allocated slots, those on the backing device included. */
    PagesStoredAccounted("Accounting"),
    /**
     * Batched: a pp-slot waiting for the writeback (unlocked, ZRAM_PP_SLOT, not yet ZRAM_WB) has
     * the flags its writeback mode selects on.
     */
    PpSlotsMatchMode("WritebackMode"),
    /**
     * Java only (no spec has a log): no WARN_ON fired, lockdep found nothing (a lock taken twice,
     * a guarded list or slot changed without its lock), no task hung.
     */
    NoKernelWarning("KernelReports"),
    /**
     * Java only (the specs free by construction): once writeback has returned, it left nothing
     * allocated: the pp ctl, the pp-slots, the requests and their pages, the pool, wb_ctl.
     */
    NoLeakAtReturn("Leaks"),
    /** Liveness: writeback returns, and no bio it submitted is left in the device. */
    WritebackReturns("WritebackReturns");

    private final String group;

    Invariant(String group) {
        this.group = group;
    }

    /** The catalogue's group: BlockOwnership and MemoryLifetime have parts, the others are one. */
    public String group() {
        return group;
    }
}
