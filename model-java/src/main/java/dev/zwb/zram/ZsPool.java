package dev.zwb.zram;

import dev.zwb.kernel.Content;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * zsmalloc, cut down to what the model needs: a handle per stored object, holding a
 * {@link Content} (compression is not modelled: an object is its page's content). Handles start
 * far above any backing-device block index, so that a handle mistaken for a block index (the
 * READ_BLKIDX_UNLOCKED race) names a block beyond the end of the device.
 *
 * <p>The fill values of ZRAM_SAME slots live in a map of their own under handles from the same
 * counter: in the kernel the handle is the fill value itself and nothing is allocated.
 */
final class ZsPool {

    /** The first handle; above any block index the model uses. */
    static final long FIRST_HANDLE = 1L << 32;

    private final AtomicLong next = new AtomicLong(FIRST_HANDLE);
    private final Map<Long, Content> objects = new ConcurrentHashMap<>();
    private final Map<Long, Content> fills = new ConcurrentHashMap<>();

    /** zs_malloc() + zs_obj_write(): stores {@code data}, returns its handle. */
    long zsMalloc(Content data) {
        return store(objects, data);
    }

    private long store(Map<Long, Content> map, Content data) {
        long handle = next.getAndIncrement();
        map.put(handle, data);
        return handle;
    }

    /** zs_obj_read_begin()..end(): the stored content ({@link Content#JUNK} if freed). */
    Content zsObjRead(long handle) {
        return objects.getOrDefault(handle, Content.JUNK);
    }

    /** zs_free(). */
    void zsFree(long handle) {
        objects.remove(handle);
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
