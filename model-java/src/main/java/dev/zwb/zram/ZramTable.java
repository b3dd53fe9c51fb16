package dev.zwb.zram;

import dev.zwb.kernel.Bitops;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.SlotLock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * zram-&gt;table: per slot a flags word (with the entry lock bit), a handle, and an object size.
 *
 * <p>Flags are the bits of enum zram_pageflags, in the kernel's order. The kernel packs the object
 * size into the low bits of the flags word (below ZRAM_FLAG_SHIFT); the model keeps the size in
 * an array of its own and numbers the flags from bit 0. The handle is a zsmalloc handle, the fill
 * value of a ZRAM_SAME slot, or, for a ZRAM_WB slot, the backing-device block index.
 *
 * <p>Implementation notes (access modes). The lock bit is changed only by atomic bit operations
 * ({@link SlotLock}). The other flag bits, the handle and the size are changed only by the lock
 * owner, with plain (here opaque) load/store, as zram_set_flag()'s {@code |=} and
 * zram_set_handle() do. They are read under the lock, except by code that races on purpose: the
 * READ_BLKIDX_UNLOCKED read path loads the handle after unlocking (a data race in C, which opaque
 * access keeps well defined here), and the invariant checks, which read a quiescent table.
 */
public final class ZramTable {

    /** Page consists of the same element. */
    public static final int ZRAM_SAME = 0;
    /** Entry access lock bit. */
    public static final int ZRAM_ENTRY_LOCK = 1;
    /** Page is stored on the backing device; the handle is the block index. */
    public static final int ZRAM_WB = 2;
    /** Selected for post-processing (writeback). */
    public static final int ZRAM_PP_SLOT = 3;
    /** Incompressible page, stored as is. */
    public static final int ZRAM_HUGE = 4;
    /** Not accessed since the last idle marking. */
    public static final int ZRAM_IDLE = 5;
    /** None of the algorithms could compress it. */
    public static final int ZRAM_INCOMPRESSIBLE = 6;

    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle INTS = MethodHandles.arrayElementVarHandle(int[].class);

    private final long[] flags;
    private final long[] handle;
    private final int[] size;
    /**
     * The object the entry's size and compression priority were recorded for (null: none). The
     * model's stand-in for both fields: its objects all have one size, so the tag names the
     * object instead. Set by zram_write_page(), cleared by slot_free(), kept by the 7.0
     * writeback completion; read back by decompress_bdev_page(). Under the slot lock.
     */
    private final Content[] compTag;
    private final SlotLock lock;

    ZramTable(KObject owner, int nrSlots) {
        this.flags = new long[nrSlots];
        this.handle = new long[nrSlots];
        this.size = new int[nrSlots];
        this.compTag = new Content[nrSlots];
        this.lock = new SlotLock(flags, ZRAM_ENTRY_LOCK, owner);
    }

    /** The number of slots (disksize &gt;&gt; PAGE_SHIFT). */
    public int nrSlots() {
        return flags.length;
    }

    private static long bit(int index, int flag) {
        return (long) index * Bitops.BITS_PER_LONG + flag;
    }

    /** zram_slot_lock(). */
    public void zramSlotLock(int index) {
        lock.lock(index);
    }

    /** zram_slot_trylock(). */
    public boolean zramSlotTrylock(int index) {
        return lock.trylock(index);
    }

    /** zram_slot_unlock(). */
    public void zramSlotUnlock(int index) {
        lock.unlock(index);
    }

    /** Ghost: the task that holds the slot's lock, or null (for the refinement mapping). */
    public Thread lockOwner(int index) {
        return lock.owner(index);
    }

    /** Whether the slot's lock bit is set. */
    public boolean isLocked(int index) {
        return lock.isLocked(index);
    }

    /** zram_test_flag(). */
    public boolean zramTestFlag(int index, int flag) {
        return Bitops.testBit(bit(index, flag), flags);
    }

    /** zram_set_flag(): a non-atomic RMW of the flags word, by the lock owner. */
    public void zramSetFlag(int index, int flag) {
        lock.assertHeld(index, "zram_set_flag");
        Bitops.nonAtomicSetBit(bit(index, flag), flags);
    }

    /** zram_clear_flag(): a non-atomic RMW of the flags word, by the lock owner. */
    public void zramClearFlag(int index, int flag) {
        lock.assertHeld(index, "zram_clear_flag");
        Bitops.nonAtomicClearBit(bit(index, flag), flags);
    }

    /**
     * zram_get_handle() by a caller that must hold the slot lock (the read path's load of the
     * block index since patch 6/6): lockdep_assert_held() first.
     */
    public long zramGetHandleLocked(int index) {
        lock.assertHeld(index, "zram_get_handle");
        return zramGetHandle(index);
    }

    /** zram_get_handle(). */
    public long zramGetHandle(int index) {
        return (long) LONGS.getOpaque(handle, index);
    }

    /** zram_set_handle(). */
    public void zramSetHandle(int index, long value) {
        lock.assertHeld(index, "zram_set_handle");
        LONGS.setOpaque(handle, index, value);
    }

    /** get_slot_size() and get_slot_comp_priority(), as the object they describe (see compTag). */
    public Content zramGetCompTag(int index) {
        return compTag[index];
    }

    /** set_slot_size() and set_slot_comp_priority() (see compTag). */
    public void zramSetCompTag(int index, Content object) {
        compTag[index] = object;
    }

    /** zram_get_obj_size(). */
    public int zramGetObjSize(int index) {
        return (int) INTS.getOpaque(size, index);
    }

    /** zram_set_obj_size(). */
    public void zramSetObjSize(int index, int value) {
        lock.assertHeld(index, "zram_set_obj_size");
        INTS.setOpaque(size, index, value);
    }

    /** zram_allocated(): the slot holds data (in memory, same-filled, or on the device). */
    public boolean zramAllocated(int index) {
        return zramGetObjSize(index) != 0 || zramTestFlag(index, ZRAM_SAME)
                || zramTestFlag(index, ZRAM_WB);
    }
}
