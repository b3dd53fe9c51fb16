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
    /** Ghost: every pp-slot placed into this ctl, for the leak check at writeback's return. */
    final List<ZramPpSlot> placed = new CopyOnWriteArrayList<>();

    /** Ghost: the pp-slots placed into this ctl (released or not). */
    public List<ZramPpSlot> placed() {
        return List.copyOf(placed);
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
