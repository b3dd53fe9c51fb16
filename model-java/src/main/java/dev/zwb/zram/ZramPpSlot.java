package dev.zwb.zram;

import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.ListHead;
import dev.zwb.kernel.Oops;

/**
 * struct zram_pp_slot: a slot selected for post-processing, kmalloc()ed by place_pp_slot(),
 * linked into a bucket of the pp ctl, kfree()d by release_pp_slot().
 */
public final class ZramPpSlot extends KObject {

    private final int index;
    /** Ghost: the scan position that placed it (the spec's pp-slot id), for the mapping. */
    private final int scanPos;
    /** pps-&gt;entry. */
    final ListHead<ZramPpSlot> entry;

    ZramPpSlot(Kernel kernel, int index, int scanPos) {
        super(kernel, "zram_pp_slot[" + index + "]");
        this.index = index;
        this.scanPos = scanPos;
        this.entry = ListHead.node(this, this);
    }

    /**
     * {@code pps->index}: a load from the pp-slot's memory. {@code pps} may be null, which is the
     * NULL dereference the MemoryLifetime invariant rules out: reported, and the task dies.
     */
    public static int index(Kernel kernel, ZramPpSlot pps) {
        if (pps == null) {
            kernel.kasan.report(Kasan.Kind.NULL_DEREF, "zram_pp_slot", "pps->index",
                    "NULL pp-slot pointer");
            throw new Oops("NULL pointer dereference: pps->index");
        }
        pps.touch("pps->index");
        return pps.index;
    }

    /** The slot index without touching the memory (for invariant checks and messages). */
    public int peekIndex() {
        return index;
    }

    /** Ghost: the scan position that placed this pp-slot (the spec's id of a pp-slot). */
    public int peekScanPos() {
        return scanPos;
    }

    /** list_del_init(&amp;pps-&gt;entry): the caller takes the pp-slot out of its bucket. */
    public void listDelInit() {
        ListHead.listDelInit(entry);
    }

    /** Whether the pp-slot is still in a bucket. */
    public boolean inBucket() {
        return entry.linked();
    }
}
