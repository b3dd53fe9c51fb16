package dev.zwb.zram;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.bdev.Bio;
import dev.zwb.bdev.Block;
import dev.zwb.kernel.AtomicT;
import dev.zwb.kernel.Bitops;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.Mutant;
import dev.zwb.kernel.Page;
import dev.zwb.kernel.RwSem;
import dev.zwb.kernel.SpinLock;

import java.util.List;
import java.util.Set;

import static dev.zwb.zram.ZramTable.ZRAM_HUGE;
import static dev.zwb.zram.ZramTable.ZRAM_IDLE;
import static dev.zwb.zram.ZramTable.ZRAM_INCOMPRESSIBLE;
import static dev.zwb.zram.ZramTable.ZRAM_PP_SLOT;
import static dev.zwb.zram.ZramTable.ZRAM_SAME;
import static dev.zwb.zram.ZramTable.ZRAM_WB;

/**
 * struct zram and the parts of zram_drv.c that every writeback design shares: the slot table, the
 * backing-device bitmap and block allocation, slot free, the write, read, discard and
 * free-notification paths, the write-back limit, and the stats. Function names are the C names
 * camelCased; where the C changed between versions both names exist (alloc_block_bdev() of
 * v6.13 – v6.18 and zram_reserve_bdev_block() of v6.19).
 *
 * <p>Simplifications, said once here and again where they are made:
 * <ul>
 * <li>Data is a version number ({@link Content}): a write of slot i carries (i, next version);
 *     compression is not modelled; a freed slot reads as the zero page; a block never written
 *     reads as junk.</li>
 * <li>One page per bio. A read from the backing device waits for its bio (the sync path of
 *     read_from_bdev()) unless {@link AsyncRead} selects read_from_bdev_async(): the child bio
 *     is chained to a parent {@link Bio} standing for zram_bio_read()'s own, and the page is
 *     handed over when the parent completes.</li>
 * <li>No partial I/O (PAGE_SIZE 4096), recompression only as far as ZRAM_INCOMPRESSIBLE
 *     ({@link Recompress}), no multi-stream; ac_time is not kept
 *     (idle_store("all") marks every eligible slot; an aged one, whose cutoff every access in
 *     the model is taken to be newer than, clears them). Compressed writeback (7.0+) keeps the raw object
 *     and its comp tag only (see decompressBdevPage()).</li>
 * </ul>
 *
 * <p>Implementation notes (locks):
 * <pre>
 *   table flags/handle/size   slot lock (ZRAM_ENTRY_LOCK bit), see {@link ZramTable}
 *   bitmap                    none: atomic bit ops (set_bit / test_and_set_bit / test_and_clear_bit)
 *   wbLimitEnable, bdWbLimit  wb_limit_lock (v6.13 – v6.18, multipage); in v6.19 init_lock held for
 *                             write by the stores, and read without a lock by the single writeback task
 *   ppInProgress              atomic_xchg (one post-processing at a time)
 *   init_lock                 writeback_store holds it for read
 * </pre>
 * Every state change is paired with its ghost update ({@link ZramGhost}) inside the same critical
 * section.
 */
public final class Zram {

    /** The object a KASAN-style report of a freed zsmalloc handle names (NoFreedHandleUse). */
    public static final String ZS_OBJECT = ZsPool.OBJECT;
    /** PAGE_SIZE. */
    public static final int PAGE_SIZE = 4096;
    /** The compressed size the model gives an ordinary page (any value below huge_class_size). */
    public static final int COMPRESSED_SIZE = 2048;
    /** INVALID_BDEV_BLOCK (~0UL) of v6.19. */
    public static final long INVALID_BDEV_BLOCK = -1L;

    /** The labels of the environment: reads, writes, frees and limit stores. */
    public static final List<String> ENV_LABELS = List.of("freeNotify", "discard",
            "writeInstall", "writeAccessed", "readLock", "readHandleUnlocked", "readZsUnlocked", "readBio",
            "readRecheck", "readAccessed", "limitStore", "limitEnableStore", "readSubmit", "readEndio");

    /** How a written page is stored. */
    public enum PageKind {
        /** Compressed into zsmalloc. */
        COMPRESSED,
        /** Incompressible: stored whole, ZRAM_HUGE. */
        HUGE,
        /** Same-element page: no memory, ZRAM_SAME, the handle is the fill value. */
        SAME
    }

    public final Kernel kernel;
    /** struct zram itself: lives as long as the model. */
    public final KObject mem;
    public final ZramTable table;
    public final ZramStats stats = new ZramStats();
    public final ZramGhost ghost;
    public final BackingDevice bdev;
    /** zram-&gt;init_lock (dev_lock in 7.0). */
    public final RwSem initLock;
    /** zram-&gt;pp_in_progress. */
    public final AtomicT ppInProgress;
    /** zram-&gt;wb_limit_lock (removed by patch 4/6 of the batched series). */
    public final SpinLock wbLimitLock;

    final ZsPool zsPool;
    /** zram-&gt;bitmap: one bit per backing-device block. */
    private final long[] bitmap;
    /** Guarded by wbLimitLock, or by initLock held for write (see the class notes). */
    private boolean wbLimitEnable;
    /** Guarded as wbLimitEnable. */
    private long bdWbLimit;
    /**
     * Guarded as wbLimitEnable: how many limit stores so far. Not in the kernel: the model's fix
     * of the multipage LIMIT_AT_COMPLETION reads it to refund a charge only into the budget it
     * was taken from (as the spec's fixed multipage does).
     */
    private long wbLimitGen;
    /** Which read path the device runs; set once by the writeback design. */
    private volatile ReadPath readPath = ReadPath.LOCKED_HANDLE_RECHECK;
    /** v6.19 (patch 3/6): the limit stores take init_lock for write. Set once by the design. */
    private volatile boolean limitStoreExclusive;
    /** zram-&gt;compressed_wb (7.0+): write back the raw object, decompress after the read. */
    private volatile boolean compressedWb;
    /**
     * decompress_bdev_page() as in mainline: re-check ZRAM_WB only, and fail the read with -EIO
     * if it is gone (switch RB_RECHECK_WB_ONLY). Off: zwb's fix, which also compares the block and
     * reads the slot again on any change. Set once by the design.
     */
    private volatile boolean rbRecheckWbOnly;
    /**
     * zram_read_page() of a slot in memory takes the handle under the slot lock and reads the
     * object after dropping it (switch ZS_READ_UNLOCKED, a proposed change no kernel has). Off:
     * the object is read under the lock, as every kernel does. Set once by the design.
     */
    private volatile boolean zsReadUnlocked;
    /** See {@link #markIdleIndex()}. */
    private volatile int markIdleIndex;
    /** How a ZRAM_WB slot is read for zram_bio_read() (the spec's AsyncRead). Set once. */
    private volatile AsyncRead asyncRead = AsyncRead.OFF;
    /**
     * The asynchronous read's child bio is not chained to the parent (switch READ_UNCHAINED, a
     * teaching switch): the parent does not wait for the device read. Set once by the design.
     */
    private volatile boolean readUnchained;
    /**
     * Not in the C: the next read_from_bdev_async() of 7.0+ fails its allocation (-ENOMEM), as
     * the trace a replay follows chose.
     */
    private volatile boolean readAllocFails;

    /** A zram device of {@code nrSlots} pages with {@code bdev} as its backing device. */
    public Zram(Kernel kernel, int nrSlots, BackingDevice bdev) {
        this.kernel = kernel;
        this.mem = kernel.forever("zram");
        this.initLock = new RwSem(mem);
        this.table = new ZramTable(mem, nrSlots);
        this.ghost = new ZramGhost(nrSlots);
        this.bdev = bdev;
        this.bitmap = new long[Bitops.bitsToLongs(bdev.nrPages())];
        this.ppInProgress = new AtomicT(mem, 0);
        this.wbLimitLock = new SpinLock(mem);
        this.zsPool = new ZsPool(kernel);
        this.markIdleIndex = nrSlots;
    }

    /**
     * compressed_writeback_store(): the C refuses once the device is initialised (-EBUSY); the
     * model sets it before the first write.
     */
    public void compressedWritebackStore(boolean val) {
        this.compressedWb = val;
    }

    public boolean compressedWb() {
        return compressedWb;
    }

    /** Selects mainline's decompress_bdev_page() re-check (see rbRecheckWbOnly). */
    public void setRbRecheckWbOnly(boolean wbOnly) {
        this.rbRecheckWbOnly = wbOnly;
    }

    /** Selects the ZS_READ_UNLOCKED read of a slot in memory (see zsReadUnlocked). */
    public void setZsReadUnlocked(boolean unlocked) {
        this.zsReadUnlocked = unlocked;
    }

    /** Selects how a ZRAM_WB slot is read for zram_bio_read() (see asyncRead). */
    public void setAsyncRead(AsyncRead asyncRead) {
        this.asyncRead = asyncRead;
    }

    /** Selects the READ_UNCHAINED child bio (see readUnchained). */
    public void setReadUnchained(boolean unchained) {
        this.readUnchained = unchained;
    }

    /** Makes read_from_bdev_async()'s allocations fail (7.0+ only; see readAllocFails). */
    public void setReadAllocFails(boolean fails) {
        this.readAllocFails = fails;
    }

    /** Selects the read path (the design's read-path switches). */
    public void setReadPath(ReadPath readPath) {
        this.readPath = readPath;
    }

    public ReadPath readPath() {
        return readPath;
    }

    /** Whether the wb-limit stores take init_lock for write (v6.19, patch 3/6). */
    public void setLimitStoreExclusive(boolean exclusive) {
        this.limitStoreExclusive = exclusive;
    }

    /** zram-&gt;nr_pages: the number of backing-device blocks. */
    public int nrPages() {
        return bdev.nrPages();
    }

    // ---- backing-device blocks --------------------------------------------------------------

    /**
     * alloc_block_bdev() (v6.13 – v6.18, multipage): the first free block from 1 (bit 0 is
     * skipped so that handle 0 never names a block), taken with test_and_set_bit(), searching
     * again if another CPU took it first. Returns 0 when the device is full.
     */
    public long allocBlockBdev() {
        long blkIdx = 1;
        for (;;) {
            blkIdx = Bitops.findNextZeroBit(bitmap, nrPages(), blkIdx);
            if (blkIdx == nrPages()) {
                return 0;
            }
            if (!Bitops.testAndSetBit(blkIdx, bitmap)) {
                break;
            }
        }
        stats.bdCount.incrementAndGet();
        return blkIdx;
    }

    /** free_block_bdev(): test_and_clear_bit(); WARN_ON_ONCE if the bit was clear. */
    public void freeBlockBdev(long blkIdx) {
        boolean wasSet = Bitops.testAndClearBit(blkIdx, bitmap);
        if (!wasSet) {
            kernel.kasan.warn("free_block_bdev", "block " + blkIdx + " was not reserved");
        }
        stats.bdCount.decrementAndGet();
    }

    /**
     * zram_reserve_bdev_block() (v6.19, patch 5/6): the first free block from 0 (block 0 is usable;
     * ZRAM_WB tells a block index from a handle), taken with a plain set_bit() because only one
     * writeback task sets bits. Returns {@link #INVALID_BDEV_BLOCK} when the device is full.
     */
    public long zramReserveBdevBlock() {
        long blkIdx = Bitops.findNextZeroBit(bitmap, nrPages(), 0);
        if (blkIdx == nrPages()) {
            return INVALID_BDEV_BLOCK;
        }
        Bitops.setBit(blkIdx, bitmap);
        stats.bdCount.incrementAndGet();
        return blkIdx;
    }

    /** zram_release_bdev_block() (v6.19): free_block_bdev() renamed. */
    public void zramReleaseBdevBlock(long blkIdx) {
        freeBlockBdev(blkIdx);
    }

    /** Whether block {@code blkIdx} is reserved in the bitmap (for invariants). */
    public boolean blockReserved(long blkIdx) {
        return Bitops.testBit(blkIdx, bitmap);
    }

    // ---- slot free, accessed --------------------------------------------------------------

    /**
     * zram_free_page() (slot_free() in 7.0), with the slot locked: clears IDLE, INCOMPRESSIBLE and
     * PP_SLOT, and frees the data: the backing-device block of a ZRAM_WB slot, nothing for a
     * same-filled slot, the zsmalloc object otherwise. The ghost is updated by the caller, which
     * knows whether the slot's content changes (a free) or only moves (writeback conversion).
     */
    public void zramFreePage(int index) {
        table.zramClearFlag(index, ZRAM_IDLE);
        table.zramClearFlag(index, ZRAM_INCOMPRESSIBLE);
        table.zramClearFlag(index, ZRAM_PP_SLOT);
        table.zramSetCompTag(index, null); // set_slot_comp_priority(0), and the size below
        if (table.zramTestFlag(index, ZRAM_HUGE)) {
            // 7.0: the writeback completion already dropped huge_pages and kept ZRAM_HUGE
            if (!table.zramTestFlag(index, ZRAM_WB)) {
                stats.hugePages.decrementAndGet();
            }
            table.zramClearFlag(index, ZRAM_HUGE);
        }
        if (table.zramTestFlag(index, ZRAM_WB)) {
            table.zramClearFlag(index, ZRAM_WB);
            freeBlockBdev(table.zramGetHandle(index));
        } else if (table.zramTestFlag(index, ZRAM_SAME)) {
            table.zramClearFlag(index, ZRAM_SAME);
            zsPool.dropFill(table.zramGetHandle(index));
            stats.samePages.decrementAndGet();
        } else {
            long handle = table.zramGetHandle(index);
            if (handle == 0) {
                return;
            }
            zsPool.zsFree(handle);
            stats.comprDataSize.addAndGet(-table.zramGetObjSize(index));
        }
        stats.pagesStored.decrementAndGet();
        table.zramSetHandle(index, 0);
        table.zramSetObjSize(index, 0);
    }

    /**
     * The 7.0 zram_writeback_complete() after its ZRAM_PP_SLOT test, with the slot locked: not
     * IDLE, huge_pages less one for a ZRAM_HUGE slot (the flag stays), the object's size off
     * compr_data_size, zs_free(), then the block as handle and ZRAM_WB. Size, priority (the
     * comp tag) and pages_stored stay: the page is still stored, on the device.
     */
    public void zramWritebackConvert(int index, long blkIdx) {
        zramWritebackConvert(index, blkIdx, false);
    }

    /**
     * As {@link #zramWritebackConvert(int, long)}; {@code keepHugeCount} leaves huge_pages alone
     * (the defect WB_KEEPS_HUGE_COUNT).
     */
    public void zramWritebackConvert(int index, long blkIdx, boolean keepHugeCount) {
        table.zramClearFlag(index, ZRAM_IDLE);
        if (table.zramTestFlag(index, ZRAM_HUGE) && !keepHugeCount) {
            stats.hugePages.decrementAndGet();
        }
        stats.comprDataSize.addAndGet(-table.zramGetObjSize(index));
        zsPool.zsFree(table.zramGetHandle(index));
        table.zramSetHandle(index, blkIdx);
        table.zramSetFlag(index, ZRAM_WB);
    }

    /** zram_accessed() (mark_slot_accessed() in 7.0), with the slot locked: not IDLE, not a pp-slot. */
    public void zramAccessed(int index) {
        table.zramClearFlag(index, ZRAM_IDLE);
        table.zramClearFlag(index, ZRAM_PP_SLOT);
        ghost.accessed(index);
    }

    // ---- write ---------------------------------------------------------------------------------

    /** zram_bio_write() of one page of ordinary (compressible) data. Returns the version written. */
    public long zramBioWrite(int index) {
        return zramBioWrite(index, PageKind.COMPRESSED);
    }

    /**
     * zram_bio_write() of one page: zram_write_page(), then zram_accessed() under the slot lock
     * (spec labels {@code writeInstall}, {@code writeAccessed}). Returns the version written.
     */
    public long zramBioWrite(int index, PageKind kind) {
        return zramBioWrite(index, kind, kind == PageKind.HUGE ? PAGE_SIZE : COMPRESSED_SIZE);
    }

    /**
     * zram_bio_write() of a compressible page whose object takes {@code comprSize} bytes (less
     * than PAGE_SIZE). The size picks the page's pp bucket, so a replay uses it to make
     * select_pp_slot() take the slots in the order of a TLC trace. Returns the version written.
     */
    public long zramBioWrite(int index, int comprSize) {
        if (comprSize <= 0 || comprSize >= PAGE_SIZE) {
            throw new IllegalArgumentException("compressed size " + comprSize + " is not in 1.." + (PAGE_SIZE - 1));
        }
        return zramBioWrite(index, PageKind.COMPRESSED, comprSize);
    }

    private long zramBioWrite(int index, PageKind kind, int size) {
        Content data = zramWritePage(index, kind, size);
        kernel.at("writeAccessed");
        table.zramSlotLock(index);
        zramAccessed(index);
        table.zramSlotUnlock(index);
        return data.version();
    }

    /**
     * zram_write_page(): the object is stored (compression, zs_malloc, zs_obj_write) before the
     * slot lock is taken; then, under the lock, the old data is freed and the new installed.
     */
    private Content zramWritePage(int index, PageKind kind, int size) {
        // spec writeInstall is one step from zs_malloc() to the unlock: the allocation may hand
        // out a handle freed by a step before it (ZramCommon's ZsWrite), and the page's ghost
        // version is the slot's next in the order the writes install (ZramCommon's WriteVersion)
        kernel.at("writeInstall");
        Content data = ghost.newContent(index);
        long handle = kind == PageKind.SAME ? zsPool.sameFill(data) : zsPool.zsMalloc(data);
        table.zramSlotLock(index);
        zramFreePage(index);
        if (kind == PageKind.SAME) {
            table.zramSetFlag(index, ZRAM_SAME);
        } else {
            if (kind == PageKind.HUGE) {
                table.zramSetFlag(index, ZRAM_HUGE);
            }
            table.zramSetObjSize(index, size);
            table.zramSetCompTag(index, data);
        }
        table.zramSetHandle(index, handle);
        ghost.install(index, data);
        table.zramSlotUnlock(index);
        if (kind == PageKind.SAME) {
            stats.samePages.incrementAndGet();
        } else {
            stats.comprDataSize.addAndGet(size);
        }
        if (kind == PageKind.HUGE) {
            stats.hugePages.incrementAndGet();
        }
        stats.pagesStored.incrementAndGet();
        return data;
    }

    // ---- read ----------------------------------------------------------------------------------

    /**
     * Not in the C: one zram_bio_read()'s ghost, for the Reads check and the refinement mapping
     * (the spec has one reader). The read path calls one of its methods per concern, at the
     * statement it describes.
     */
    private final class ReadGhost {
        final int index;
        final Page page;
        /** The ghost change sequence at its first step under the slot lock (-1: not yet). */
        volatile long token = -1;
        /** The block index the read uses (spec rdBlk). */
        volatile long blkIdx;
        /** The page has been filled (spec rdVal is set). */
        volatile boolean filled;
        /** The read failed (its bio ended with an error). */
        volatile boolean failed;
        /** decompress_bdev_page() failed the read with -EIO (spec ReadEio). */
        volatile boolean eio;
        /** The change sequence when the read returned (Long.MAX_VALUE: running). */
        volatile long endSeq = Long.MAX_VALUE;
        /** ZS_READ_UNLOCKED: the zsmalloc handle held outside the slot lock (spec rdZs; 0: none). */
        volatile long zsHandle;
        /** AsyncRead: the child bio, "none", "inflight" or "ended" (spec rdChild). */
        volatile String child = "none";
        /** AsyncRead: the child bio ended with an error. */
        volatile boolean childFailed;
        /** zram_bio_read() is past zram_accessed() (or failed). */
        private boolean readerDone;

        ReadGhost(int index, Page page) {
            this.index = index;
            this.page = page;
        }

        /** The read holds the slot lock: the first time, it starts here. */
        void slotLocked() {
            if (token < 0) {
                token = ghost.readBegin();
            }
        }

        void pageFilled() {
            filled = true;
        }

        void holdsHandle(long handle) {
            zsHandle = handle;
        }

        void usesBlock(long blk) {
            blkIdx = blk;
        }

        void decompressed(int ret) {
            eio = ret == -Errno.EIO;
        }

        void failed() {
            failed = true;
            endSeq = ghost.now();
        }

        /** The read returns its page: judge it against what the slot held meanwhile. */
        void got() {
            ghost.readEnd(index, token, page.data());
        }

        /**
         * The reader is done with the page (after zram_accessed()): the read ends here, or with
         * a child still in flight when that ends (the slot's contents until then count).
         */
        synchronized void readerDone() {
            readerDone = true;
            if (!child.equals("inflight")) {
                endSeq = ghost.now();
            }
        }

        /** read_from_bdev_async() submitted the child: the parent's page is what it delivers. */
        void submitted() {
            child = "inflight";
            filled = true;
        }

        /** The child bio ended (its data, or an error, is in the parent's page). */
        synchronized void childEnded(int status) {
            childFailed = status != 0;
            child = "ended";
            if (readerDone) {
                endSeq = ghost.now();
            }
        }

        /** The parent bio completed: the page it hands over must be one the slot held. */
        void parentCompleted(int status) {
            if (status == 0) {
                got();
            }
        }
    }

    /**
     * zram_bio_read() of one page: zram_read_page(), then zram_accessed() under the slot lock
     * (spec label {@code readAccessed}). Returns what the read produced, or null if it failed
     * (failed_reads is counted; a failed read returns no data, so it cannot break Reads). With
     * {@link AsyncRead} it returns with the child bio possibly still in flight (the page then
     * holds junk); the ghost judges the page when the parent completes, after the child ended.
     */
    public Content zramBioRead(int index) {
        Page page = new Page();
        ReadGhost read = new ReadGhost(index, page);
        lastRead = read;
        // the incoming bio: the parent of an asynchronous read's child, which holds it open
        Bio parent = new Bio(new KObject(kernel, "zram_bio_read bio"));
        parent.setEndIo(b -> read.parentCompleted(b.status()));
        if (zramReadPage(page, index, read, parent) < 0) {
            stats.failedReads.incrementAndGet();
            read.failed();
            return null;
        }
        boolean async = !read.child.equals("none");
        if (!async) {
            read.got();
        }
        kernel.at("readAccessed");
        table.zramSlotLock(index);
        zramAccessed(index);
        read.readerDone();
        table.zramSlotUnlock(index);
        if (async) {
            parent.bioEndio(); // completes it unless the child is still in flight
        }
        return page.data();
    }

    /** Ghost: the latest zram_bio_read(), for the refinement mapping; null before any. */
    private volatile ReadGhost lastRead;

    /**
     * What the refinement mapping sees of the latest read (the spec has one reader): the block
     * index it uses (rdBlk), the page it got (rdVal; null until filled or when it failed), every
     * content its slot held while it ran (rdSeen; empty before its first step under the slot
     * lock), and whether it failed.
     */
    public record ReaderView(long blkIdx, Content got, Set<Content> seen, boolean failed, boolean eio,
                             HeldHandle held, String child) {
    }

    /**
     * The zsmalloc handle a ZS_READ_UNLOCKED read holds outside the slot lock (spec rdZs): the
     * slot whose table entry holds it now (0: no slot, it was freed), and what its object holds.
     */
    public record HeldHandle(int owner, Content data) {
    }

    /** Ghost (no lock, no report): who holds {@code handle} now and what its object holds. */
    private HeldHandle held(long handle) {
        int owner = 0;
        if (zsPool.live(handle)) {
            for (int i = 1; i < table.nrSlots(); i++) {
                if (!table.zramTestFlag(i, ZRAM_WB) && !table.zramTestFlag(i, ZRAM_SAME)
                        && table.zramGetHandle(i) == handle) {
                    owner = i;
                }
            }
        }
        return new HeldHandle(owner, zsPool.peek(handle));
    }

    /** The latest read's {@link ReaderView}, or null before any read started. */
    public ReaderView readerView() {
        ReadGhost op = lastRead;
        if (op == null) {
            return null;
        }
        Set<Content> seen = op.token < 0 ? Set.of() : ghost.heldBetween(op.index, op.token, op.endSeq);
        long h = op.zsHandle;
        boolean failed = op.failed || op.childFailed;
        return new ReaderView(op.blkIdx, op.filled && !failed ? op.page.data() : null, seen, failed, op.eio,
                h == 0 ? null : held(h), op.child);
    }

    /**
     * zram_read_page(). Under the slot lock (label {@code readLock}): a slot in memory is read at
     * once. A ZRAM_WB slot is read from the backing device after the lock is dropped, along the
     * configured {@link ReadPath}:
     * <ul>
     * <li>UNLOCKED_HANDLE: unlock, then load the handle ({@code readHandleUnlocked}), then read
     *     ({@code readBio});</li>
     * <li>LOCKED_HANDLE: load the handle, unlock, read ({@code readBio});</li>
     * <li>LOCKED_HANDLE_RECHECK: as LOCKED_HANDLE, then re-lock ({@code readRecheck}) and keep the
     *     data only if the slot is still ZRAM_WB on the same block; else start again.</li>
     * </ul>
     * With compressed writeback the page read is decompressed ({@code readDecompress}).
     */
    private int zramReadPage(Page page, int index, ReadGhost read, Bio parent) {
        for (;;) {
            kernel.at("readLock");
            table.zramSlotLock(index);
            read.slotLocked();
            long zsHandle = table.zramGetHandle(index);
            if (zsReadUnlocked && !table.zramTestFlag(index, ZRAM_WB)
                    && !table.zramTestFlag(index, ZRAM_SAME) && zsHandle != 0) {
                // ZS_READ_UNLOCKED: the handle is taken under the lock, the object read after it
                read.holdsHandle(zsHandle);
                table.zramSlotUnlock(index);
                kernel.at("readZsUnlocked");
                page.setData(zsPool.zsObjRead(zsHandle));
                read.pageFilled();
                read.holdsHandle(0);
                return 0;
            }
            if (!table.zramTestFlag(index, ZRAM_WB)) {
                int ret = zramReadFromZspool(page, index);
                read.pageFilled();
                table.zramSlotUnlock(index);
                return ret;
            }
            long blkIdx;
            if (readPath == ReadPath.UNLOCKED_HANDLE) {
                table.zramSlotUnlock(index);
                kernel.at("readHandleUnlocked");
                blkIdx = table.zramGetHandle(index);
            } else if (kernel.mutant(Mutant.READ_BLKIDX_AFTER_UNLOCK)) {
                table.zramSlotUnlock(index);
                blkIdx = table.zramGetHandleLocked(index);
            } else {
                blkIdx = table.zramGetHandleLocked(index);
                table.zramSlotUnlock(index);
            }
            read.usesBlock(blkIdx);
            if (asyncRead != AsyncRead.OFF) {
                kernel.at("readSubmit");
                return readFromBdevAsync(page, blkIdx, read, parent);
            }
            kernel.at("readBio");
            int ret = readFromBdev(page, blkIdx);
            read.pageFilled();
            if (ret == 0 && compressedWb) {
                // zram_async_read_endio() -> zram_deferred_decompress(), or the sync path
                kernel.at("readDecompress");
                ret = decompressBdevPage(page, index, blkIdx);
                if (ret == -Errno.EAGAIN) {
                    continue;
                }
                read.decompressed(ret);
                return ret;
            }
            if (ret < 0 || readPath != ReadPath.LOCKED_HANDLE_RECHECK) {
                return ret;
            }
            kernel.at("readRecheck");
            table.zramSlotLock(index);
            boolean same = table.zramTestFlag(index, ZRAM_WB)
                    && (table.zramGetHandle(index) == blkIdx || kernel.mutant(Mutant.READ_RECHECK_IGNORES_BLOCK));
            table.zramSlotUnlock(index);
            if (same) {
                return 0;
            }
        }
    }

    /**
     * decompress_bdev_page() (label {@code readDecompress}): under the slot lock, mainline
     * (RB_RECHECK_WB_ONLY) tests ZRAM_WB only: gone, the page is zeroed and the read fails with
     * -EIO; zwb's fix also compares the handle with the block read and answers -EAGAIN on any
     * change, so that zram_read_page() reads the slot again. A ZRAM_HUGE object was written back
     * uncompressed and is kept as read; otherwise it is decompressed with the size and priority
     * the slot holds now: bytes they do not describe decompress to garbage.
     */
    private int decompressBdevPage(Page page, int index, long blkIdx) {
        table.zramSlotLock(index);
        try {
            boolean wb = table.zramTestFlag(index, ZRAM_WB);
            if (rbRecheckWbOnly && !wb) {
                page.setData(Content.ZERO);
                ghost.readFailed(index, "decompress_bdev_page(): no longer ZRAM_WB, -EIO");
                return -Errno.EIO;
            }
            if (!rbRecheckWbOnly && (!wb || table.zramGetHandle(index) != blkIdx)) {
                return -Errno.EAGAIN;
            }
            if (table.zramTestFlag(index, ZRAM_HUGE)) {
                return 0;
            }
            Content tag = table.zramGetCompTag(index);
            page.setData(page.data().equals(tag) ? tag : Content.GARBAGE);
            return 0;
        } finally {
            table.zramSlotUnlock(index);
        }
    }

    /**
     * read_from_zspool_raw() (compressed writeback), with the slot locked: the object as stored,
     * not decompressed; the rest of the page is zeroed.
     */
    public int readFromZspoolRaw(Page page, int index) {
        page.setData(zsPool.zsObjRead(table.zramGetHandle(index)));
        return 0;
    }

    /**
     * zram_read_from_zspool(), with the slot locked: a same-filled slot, or a slot with no handle
     * (free), reads as its fill value (the zero page when free); otherwise the stored object.
     */
    public int zramReadFromZspool(Page page, int index) {
        long handle = table.zramGetHandle(index);
        if (table.zramTestFlag(index, ZRAM_SAME) || handle == 0) {
            page.setData(handle == 0 ? Content.ZERO : zsPool.readFill(handle));
            return 0;
        }
        page.setData(zsPool.zsObjRead(handle));
        return 0;
    }

    /** What an in-memory slot holds now (for invariant checks; no lock). */
    public Content peekStored(int index) {
        Page page = new Page();
        zramReadFromZspool(page, index);
        return page.data();
    }

    /**
     * read_from_bdev(): bd_reads++, then one read bio of block {@code blkIdx} into {@code page},
     * waited for (read_from_bdev_sync(); see the class notes).
     */
    private int readFromBdev(Page page, long blkIdx) {
        stats.bdReads.incrementAndGet();
        Bio bio = new Bio(new KObject(kernel, "read bio"));
        bio.bioInit(Bio.Op.READ);
        bio.setBlock(blkIdx);
        bio.bioAddPage(page);
        return Block.submitBioWait(bdev, bio, kernel, null);
    }

    /**
     * read_from_bdev() with a parent (label {@code readSubmit}): bd_reads++, then
     * read_from_bdev_async(). 7.0+ allocates a zram_rb_req and the bio, either of which may fail
     * (-ENOMEM); v6.17 takes the bio from the mempool (cannot fail). The child reads block
     * {@code blkIdx} into {@code page} and is chained to the parent (bio_chain(), or 7.0+'s
     * bio_inc_remaining() with zram_async_read_endio(), which copies an error to the parent and
     * ends it: the same effect); READ_UNCHAINED leaves the parent out. Returns 0 at once: the
     * device read lands in its own step (the spec's readEndio, a device step).
     */
    private int readFromBdevAsync(Page page, long blkIdx, ReadGhost read, Bio parent) {
        stats.bdReads.incrementAndGet();
        if (asyncRead == AsyncRead.RB_REQ && readAllocFails) {
            return -Errno.ENOMEM;
        }
        Bio bio = new Bio(new KObject(kernel, asyncRead == AsyncRead.RB_REQ ? "zram_rb_req" : "chained read bio"));
        bio.bioInit(Bio.Op.READ);
        bio.setBlock(blkIdx);
        bio.bioAddPage(page);
        bio.setDeviceStep(kernel, "readEndio");
        read.submitted();
        if (readUnchained) {
            bio.setEndIo(b -> read.childEnded(b.status()));
        } else {
            bio.bioChain(parent, b -> read.childEnded(b.status()));
        }
        Block.submitBio(bdev, bio);
        return 0;
    }

    // ---- discard, free notification, idle --------------------------------------------------

    /** zram_bio_discard() of one whole page (label {@code discard}). */
    public void zramBioDiscard(int index) {
        kernel.at("discard");
        table.zramSlotLock(index);
        zramFreePage(index);
        ghost.free(index);
        table.zramSlotUnlock(index);
        stats.notifyFree.incrementAndGet();
    }

    /**
     * zram_slot_free_notify() (swap, atomic context; label {@code freeNotify}): frees the slot if
     * its lock can be taken at once, else counts a missed free. Returns whether it freed.
     */
    public boolean zramSlotFreeNotify(int index) {
        kernel.at("freeNotify");
        stats.notifyFree.incrementAndGet();
        if (!table.zramSlotTrylock(index)) {
            stats.missFree.incrementAndGet();
            return false;
        }
        zramFreePage(index);
        ghost.free(index);
        table.zramSlotUnlock(index);
        return true;
    }

    /** idle_store("all"): mark_idle() with no cutoff. */
    public void idleStore() {
        idleStore("all");
    }

    /**
     * idle_store() (6.19: init_lock for read, so beside a writeback; 7.x: dev_lock for read, which
     * a 7.x writeback holds for write): "all" marks every eligible slot idle; an age in seconds
     * (CONFIG_ZRAM_TRACK_ENTRY_ACTIME) marks the slots not accessed for that long. ac_time is
     * not kept (see the class notes): every access in the model is taken to be newer than any
     * age's cutoff, so an age clears ZRAM_IDLE on every eligible slot (the spec's MarkIdle =
     * "aged"). Returns 0, or -EINVAL for anything but "all" or a positive number (the C's
     * kstrtoull() and its !age_sec test). Labels: {@code markIdle} before the lock and before
     * each further index (the spec's one step per index).
     */
    public int idleStore(String buf) {
        boolean noCutoff = buf.trim().equals("all");
        if (!noCutoff) {
            try {
                if (Long.parseUnsignedLong(buf.trim()) == 0) {
                    return -Errno.EINVAL;
                }
            } catch (NumberFormatException e) {
                return -Errno.EINVAL;
            }
        }
        markIdleIndex = 0;
        kernel.at("markIdle");
        initLock.downRead();
        try {
            markIdle(noCutoff);
        } finally {
            initLock.upRead();
        }
        return 0;
    }

    /**
     * mark_idle(), the device lock held for read: for every index, slot lock; a slot not
     * allocated, ZRAM_WB or ZRAM_SAME is skipped; else ZRAM_IDLE is set if the slot is idle by
     * the cutoff and cleared if not; unlock. ZRAM_PP_SLOT is not looked at (spec markIdle).
     */
    private void markIdle(boolean noCutoff) {
        for (int index = 0; index < table.nrSlots(); index++) {
            if (index > 0) {
                markIdleIndex = index;
                kernel.at("markIdle");
            }
            table.zramSlotLock(index);
            if (!table.zramAllocated(index) || table.zramTestFlag(index, ZRAM_WB)
                    || table.zramTestFlag(index, ZRAM_SAME)) {
                table.zramSlotUnlock(index);
                continue;
            }
            boolean isIdle = noCutoff; // with a cutoff: ktime_after(cutoff, ac_time), false here
            if (isIdle) {
                table.zramSetFlag(index, ZRAM_IDLE);
            } else {
                table.zramClearFlag(index, ZRAM_IDLE);
            }
            table.zramSlotUnlock(index);
        }
        markIdleIndex = table.nrSlots();
    }

    /**
     * Not in the C (mark_idle()'s local index): the index the last idle_store()'s loop is at,
     * nr_pages once it returned or before any ran (the spec's idleIdx).
     */
    public int markIdleIndex() {
        return markIdleIndex;
    }

    // ---- write-back limit ------------------------------------------------------------------

    /**
     * writeback_limit_store() (label {@code limitStore}): v6.13 – v6.18 under init_lock (read)
     * and wb_limit_lock, so it can land in the middle of a writeback; v6.19 under init_lock
     * (write), so it waits for a running writeback to finish.
     */
    public void writebackLimitStore(long value) {
        kernel.at("limitStore");
        limitStore(() -> {
            bdWbLimit = value;
            wbLimitGen++;
            ghost.limitStore(value);
        });
    }

    /** writeback_limit_enable_store() (label {@code limitEnableStore}), locked as the limit store. */
    public void writebackLimitEnableStore(boolean enable) {
        kernel.at("limitEnableStore");
        limitStore(() -> {
            wbLimitEnable = enable;
            wbLimitGen++;
            ghost.limitEnableStore(enable);
        });
    }

    private void limitStore(Runnable store) {
        if (limitStoreExclusive) {
            initLock.downWrite();
            try {
                store.run();
            } finally {
                initLock.upWrite();
            }
            return;
        }
        initLock.downRead();
        wbLimitLock.spinLock();
        try {
            store.run();
        } finally {
            wbLimitLock.spinUnlock();
            initLock.upRead();
        }
    }

    /** zram-&gt;wb_limit_enable; read under the lock its version requires. */
    public boolean wbLimitEnable() {
        return wbLimitEnable;
    }

    /** zram-&gt;bd_wb_limit; read under the lock its version requires. */
    public long bdWbLimit() {
        return bdWbLimit;
    }

    /** How many limit stores so far (see the field); read under the limit's lock. */
    public long wbLimitGen() {
        return wbLimitGen;
    }

    /**
     * The writeback task's charge of one page whose limit check fell in ghost epoch
     * {@code checkEpoch}: {@code if (wb_limit_enable && bd_wb_limit > 0) bd_wb_limit -= 1UL <<
     * (PAGE_SHIFT - 12)}, one unit per 4 KiB page. The caller holds the lock its version requires.
     */
    public void chargeWbLimit(long checkEpoch) {
        if (wbLimitEnable && bdWbLimit > 0) {
            bdWbLimit -= 1;
        }
        ghost.limitCharged(checkEpoch);
    }

    /** zram_account_writeback_rollback(): the refund of a page whose write failed. */
    public void refundWbLimit(long checkEpoch) {
        if (wbLimitEnable) {
            bdWbLimit += 1;
        }
        ghost.limitRefunded(checkEpoch);
    }
}
