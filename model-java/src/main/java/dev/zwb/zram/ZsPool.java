package dev.zwb.zram;

import dev.zwb.kernel.Content;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.Kernel;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * zsmalloc, cut down to what the model needs: a handle per stored object, holding a
 * {@link Content} (compression is not modelled: an object is its page's content). Handles start
 * far above any backing-device block index, so that a handle mistaken for a block index (the
 * READ_BLKIDX_UNLOCKED race) names a block beyond the end of the device.
 *
 * <p>Handle lifetime (spec ZramCommon, rdZs): zs_free() puts a handle on a free list and its
 * object keeps its bytes; zs_malloc() hands the most recently freed handle out again before a
 * new one (zsmalloc reuses a size class's freed objects first). Reading a freed handle is a
 * lifetime violation: it is reported (KASAN-style, object "zsmalloc object", which the checker
 * counts as NoFreedHandleUse) and returns the bytes the object still holds.
 *
 * <p>The fill values of ZRAM_SAME slots live in a map of their own under handles from the same
 * counter: in the kernel the handle is the fill value itself and nothing is allocated.
 */
final class ZsPool {

    /** The first handle; above any block index the model uses. */
    static final long FIRST_HANDLE = 1L << 32;
    /** The object name a freed-handle report carries. */
    static final String OBJECT = "zsmalloc object";

    private final Kernel kernel;
    private final AtomicLong next = new AtomicLong(FIRST_HANDLE);
    private final Map<Long, Content> objects = new ConcurrentHashMap<>();
    /** Freed handles and the bytes their objects still hold. */
    private final Map<Long, Content> freed = new ConcurrentHashMap<>();
    /** Freed handles, the most recently freed first; guarded by this. */
    private final Deque<Long> freeList = new ArrayDeque<>();
    private final Map<Long, Content> fills = new ConcurrentHashMap<>();

    ZsPool(Kernel kernel) {
        this.kernel = kernel;
    }

    /** zs_malloc() + zs_obj_write(): stores {@code data}, returns its handle. */
    long zsMalloc(Content data) {
        Long reused;
        synchronized (this) {
            reused = freeList.pollFirst();
        }
        if (reused == null) {
            return store(objects, data);
        }
        freed.remove(reused);
        objects.put(reused, data);
        return reused;
    }

    private long store(Map<Long, Content> map, Content data) {
        long handle = next.getAndIncrement();
        map.put(handle, data);
        return handle;
    }

    /**
     * zs_obj_read_begin()..end(): the stored content. A freed handle is reported and reads as
     * the bytes its object still holds; a handle never allocated as {@link Content#JUNK}.
     */
    Content zsObjRead(long handle) {
        Content live = objects.get(handle);
        if (live != null) {
            return live;
        }
        Content old = freed.get(handle);
        if (old != null) {
            kernel.kasan.report(Kasan.Kind.USE_AFTER_FREE, OBJECT, "zs_obj_read_begin",
                    "handle " + handle + " was zs_free()d");
            return old;
        }
        return Content.JUNK;
    }

    /** Ghost (no report): whether {@code handle} names a live object. */
    boolean live(long handle) {
        return objects.containsKey(handle);
    }

    /** Ghost (no report): the bytes {@code handle}'s object holds, live or freed. */
    Content peek(long handle) {
        Content c = objects.get(handle);
        return c != null ? c : freed.getOrDefault(handle, Content.JUNK);
    }

    /** zs_free(). */
    void zsFree(long handle) {
        Content old = objects.remove(handle);
        if (old != null) {
            freed.put(handle, old);
            synchronized (this) {
                freeList.addFirst(handle);
            }
        }
    }

    /** The "handle" of a same-filled page: its fill value. */
    long sameFill(Content data) {
        return store(fills, data);
    }

    /** What a same-filled page with this fill value reads as. */
    Content readFill(long handle) {
        return fills.getOrDefault(handle, Content.ZERO);
    }

    /** The fill value is dropped with the slot. */
    void dropFill(long handle) {
        fills.remove(handle);
    }
}
