package dev.zwb.zram;

import java.util.concurrent.atomic.AtomicLong;

/**
 * struct zram_stats, the counters the model keeps. atomic64_inc()/dec() are unordered RMWs in the
 * kernel; AtomicLong's are volatile, which is stronger; nothing orders anything through these
 * counters.
 */
public final class ZramStats {
    /** Pages currently stored (in memory or on the backing device). */
    public final AtomicLong pagesStored = new AtomicLong();
    /** Same-element pages. */
    public final AtomicLong samePages = new AtomicLong();
    /** Huge (incompressible) pages. */
    public final AtomicLong hugePages = new AtomicLong();
    /** Compressed bytes stored. */
    public final AtomicLong comprDataSize = new AtomicLong();
    /** Swap slot free notifications and discards. */
    public final AtomicLong notifyFree = new AtomicLong();
    /** Free notifications lost because the slot was locked. */
    public final AtomicLong missFree = new AtomicLong();
    /** Reads that failed. */
    public final AtomicLong failedReads = new AtomicLong();
    /** Blocks of the backing device in use. */
    public final AtomicLong bdCount = new AtomicLong();
    /** Reads from the backing device. */
    public final AtomicLong bdReads = new AtomicLong();
    /** Successful writes to the backing device. */
    public final AtomicLong bdWrites = new AtomicLong();
}
