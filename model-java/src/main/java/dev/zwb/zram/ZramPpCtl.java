package dev.zwb.zram;

import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.ListHead;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** struct zram_pp_ctl: the buckets of pp-slots, one per size class of 64 bytes. */
public final class ZramPpCtl extends KObject {

    /** PP_BUCKET_SIZE_RANGE. */
    public static final int PP_BUCKET_SIZE_RANGE = 64;
    /** NUM_PP_BUCKETS: PAGE_SIZE / 64 + 1. */
    public static final int NUM_PP_BUCKETS = Zram.PAGE_SIZE / PP_BUCKET_SIZE_RANGE + 1;

    final ListHead<ZramPpSlot>[] ppBuckets;
    /** Ghost: every pp-slot placed in this ctl, for the mapping (the spec's ppFreed are the freed ones). */
    final java.util.List<ZramPpSlot> placed = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Ghost: slots the scan has visited so far (the spec's scanPos - 1), for the mapping. */
    volatile int scanVisits;

    /** Ghost: how many slots the scan has visited (the spec's scanPos - 1). */
    public int scanVisits() {
        return scanVisits;
    }

    /** Ghost: every pp-slot placed in this ctl, in placement order. */
    public java.util.List<ZramPpSlot> placed() {
        return java.util.List.copyOf(placed);
    }

    /** Ghost: the pp-slots still in the buckets, highest bucket first (for the mapping). */
    public java.util.List<ZramPpSlot> peekPpSlots() {
        java.util.List<ZramPpSlot> out = new java.util.ArrayList<>();
        for (int idx = NUM_PP_BUCKETS - 1; idx >= 0; idx--) {
            out.addAll(ppBuckets[idx].peekEntries());
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    ZramPpCtl(Kernel kernel) {
        super(kernel, "zram_pp_ctl");
        ppBuckets = new ListHead[NUM_PP_BUCKETS];
        for (int i = 0; i < NUM_PP_BUCKETS; i++) {
            ppBuckets[i] = ListHead.head(this);
        }
    }
}
