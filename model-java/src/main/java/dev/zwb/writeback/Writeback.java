package dev.zwb.writeback;

import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.Mutant;
import dev.zwb.zram.PostProcessing;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramPpCtl;
import dev.zwb.zram.ZramPpSlot;
import dev.zwb.zram.ZramTable;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the three designs share: writeback_store() (argument parsing, the scan, one
 * post-processing at a time) around a design's zram_writeback_slots(), and what the invariant
 * checks need to see of a design's state (who owns which backing-device block, who holds which
 * pp-slot).
 *
 * <p>The C locals of zram_writeback_slots() that an invariant must see (the carried block, the
 * requests) are fields of the design: they are the spec's process variables. Only the writeback
 * task writes them; they are volatile so that a check on another thread reads current values.
 */
public abstract class Writeback {

    /** Receives the owners of backing-device blocks other than ZRAM_WB slots. */
    @FunctionalInterface
    public interface BlockOwners {
        void owner(long blkIdx, String who);
    }

    /** Receives a design's own invariant findings: the spec's invariant name and a detail. */
    @FunctionalInterface
    public interface Findings {
        void report(String invariant, String detail);
    }

    /** Receives what a returned writeback left allocated: the object and what it is. */
    @FunctionalInterface
    public interface Leaks {
        void leak(String what);
    }

    /** Receives the live holders of pp-slot pointers (requests). */
    @FunctionalInterface
    public interface PpsHolders {
        void holder(String who, ZramPpSlot pps);
    }

    protected final Zram zram;
    protected final Kernel kernel;
    protected final ZramTable table;
    private final Variant variant;
    /** Ghost: the pp ctl of the running (or last) writeback_store(), for the mapping and the leak check. */
    private volatile ZramPpCtl ppCtl;
    /** Whether writeback_store() is between its start and its return. */
    private volatile boolean running;
    /** Ghost: how many times writeback_store() has been called (the spec's wbRun while it runs). */
    private volatile int run;
    /** Ghost: slots whose write to the device succeeded in this writeback. */
    private final Set<Integer> successfulWrites = ConcurrentHashMap.newKeySet();

    protected Writeback(Zram zram, Variant variant, Design design) {
        if (variant.design() != design) {
            throw new IllegalArgumentException(variant + " is not a variant of " + design.id());
        }
        this.zram = zram;
        this.kernel = zram.kernel;
        this.table = zram.table;
        this.variant = variant;
        zram.setReadPath(variant.readPath());
        zram.setZsReadUnlocked(variant.on(Defect.ZS_READ_UNLOCKED));
        zram.setReadUnchained(variant.on(Defect.READ_UNCHAINED));
    }

    /** The design with its defaults (32 requests) for {@code variant}. */
    public static Writeback create(Zram zram, Variant variant) {
        return switch (variant.design()) {
            case SINGLE -> new SinglePage(zram, variant);
            case MULTIPAGE -> new MultiPage(zram, variant, MultiPage.ZRAM_WB_REQ_CNT);
            case BATCHED -> new Batched(zram, variant, Batched.ZRAM_WB_REQ_CNT);
        };
    }

    public final Variant variant() {
        return variant;
    }

    public final Design design() {
        return variant.design();
    }

    protected final boolean on(Defect defect) {
        return variant.on(defect);
    }

    /** Whether this machine runs with concurrency mutant {@code m} (tests only). */
    protected final boolean mutant(Mutant m) {
        return kernel.mutant(m);
    }

    /** A spec label: the writeback task (or its bio completion) is about to take this step. */
    protected final void at(String label) {
        kernel.at(label);
    }

    /**
     * writeback_store(): under init_lock (read) and pp_in_progress, build the pp ctl (and the
     * design's own ctl), scan the slots the arguments name, run zram_writeback_slots(), release
     * everything (label {@code releaseCtl}) and return 0 or a negative errno (label
     * {@code done}). Arguments as in the kernel: {@code idle}, {@code huge}, {@code huge_idle},
     * {@code incompressible}, {@code type=MODE}, {@code page_index=N}, {@code page_indexes=A-B}.
     */
    public final int writebackStore(String buf) {
        return writebackStore(buf, "done");
    }

    /**
     * writeback_store() called {@code runs} times in a row by one task (the spec's WbRuns): each
     * call builds a fresh pp ctl and scans again. Between two calls the task is at label
     * {@code nextRun} (the spec's nextRun: one call has returned, the next one starts); after the
     * last at {@code done}. Returns the last call's return value.
     */
    public final int writebackStoreRuns(String buf, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs = " + runs + ": writeback_store() runs at least once");
        }
        int ret = 0;
        for (int i = 1; i <= runs; i++) {
            ret = writebackStore(buf, i < runs ? "nextRun" : "done");
        }
        return ret;
    }

    /** Ghost: the number of the current (or last) call of writeback_store(), from 1; 0 before the first. */
    public final int run() {
        return run;
    }

    private int writebackStore(String buf, String returnLabel) {
        run++; // ghost
        atStoreEntry();
        boolean exclusive = devLockForWrite();
        if (exclusive) {
            zram.initLock.downWrite(); // 7.0: guard(rwsem_write)(&zram->dev_lock)
        } else {
            zram.initLock.downRead();
            if (zram.ppInProgress.atomicXchg(1) != 0) {
                zram.initLock.upRead();
                return -Errno.EAGAIN;
            }
        }
        running = true;
        successfulWrites.clear();
        int ret = 0;
        ZramPpCtl ctl = PostProcessing.initPpCtl(zram);
        ppCtl = ctl;
        if (!initWbCtl()) {
            ret = -Errno.ENOMEM;
        } else {
            ret = parseAndScan(buf, ctl);
            if (ret == 0) {
                ret = zramWritebackSlots(ctl);
            }
        }
        at("releaseCtl");
        PostProcessing.releasePpCtl(zram, ctl);
        releaseWbCtl();
        running = false;
        if (exclusive) {
            zram.initLock.upWrite();
        } else {
            zram.ppInProgress.atomicSet(0);
            zram.initLock.upRead();
        }
        at(returnLabel);
        return ret;
    }

    /**
     * 7.0 (batched as in mainline): writeback_store() holds dev_lock (zram's init_lock, renamed)
     * for write, which also makes pp_in_progress unnecessary: a second writeback, idle marking
     * and the sysfs stores wait. Before: init_lock for read plus pp_in_progress (-EAGAIN).
     */
    protected boolean devLockForWrite() {
        return false;
    }

    /**
     * The spec label of the step that takes the device lock, before it is taken: batched's
     * initWbCtl, whose spec step starts at writeback_store()'s down_read / down_write, so that a
     * mark_idle() holding the lock for read keeps the task at that label (spec DevLockFreeForWb).
     * The other designs' first label comes after the lock.
     */
    protected void atStoreEntry() {
    }

    /** writeback_store()'s mode (parse_mode(); 0: PAGE_WRITEBACK), for the invariants. */
    protected int writebackMode;

    /** The argument loop of writeback_store(); every page_index(es) argument scans its range. */
    private int parseAndScan(String buf, ZramPpCtl ctl) {
        int nrPages = table.nrSlots();
        int lo = 0;
        int hi = nrPages;
        int mode = 0;
        for (String arg : buf.trim().split("\\s+")) {
            if (arg.isEmpty()) {
                continue;
            }
            // next_arg(): the first '=' after the first character ("=x" is a name without a value)
            int eq = arg.indexOf('=', 1);
            String param = eq < 0 ? arg : arg.substring(0, eq);
            String val = eq < 0 ? "" : arg.substring(eq + 1);
            if (val.isEmpty() || param.equals("type")) {
                mode = parseMode(val.isEmpty() ? param : val);
                if (mode < 0) {
                    return mode;
                }
                writebackMode = mode;
                // SCAN_IGNORES_MODE: the scan without its flag tests
                PostProcessing.scanSlotsForWriteback(zram, on(Defect.SCAN_IGNORES_MODE) ? 0 : mode, lo, hi, ctl);
                break;
            }
            if (param.equals("page_index") || param.equals("page_indexes")) {
                long[] range = param.equals("page_index")
                        ? parseRange(val, val, nrPages) : parseRange(val, null, nrPages);
                if (range == null) {
                    return -Errno.ERANGE;
                }
                lo = (int) range[0];
                hi = (int) range[1];
                PostProcessing.scanSlotsForWriteback(zram, mode, lo, hi, ctl);
            }
        }
        return 0;
    }

    /** parse_page_index() / parse_page_indexes(): [lo, hi) or null when out of range. */
    private static long[] parseRange(String val, String single, int nrPages) {
        try {
            long lo;
            long hi;
            if (single != null) {
                lo = Long.parseLong(single);
                hi = lo;
            } else {
                int dash = val.indexOf('-');
                lo = Long.parseLong(val.substring(0, dash));
                hi = Long.parseLong(val.substring(dash + 1));
            }
            if (lo < 0 || lo >= nrPages || hi >= nrPages || lo > hi) {
                return null;
            }
            return new long[] {lo, hi + 1};
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** parse_mode(). */
    private static int parseMode(String val) {
        return switch (val) {
            case "idle" -> PostProcessing.IDLE_WRITEBACK;
            case "huge" -> PostProcessing.HUGE_WRITEBACK;
            case "huge_idle" -> PostProcessing.IDLE_WRITEBACK | PostProcessing.HUGE_WRITEBACK;
            case "incompressible" -> PostProcessing.INCOMPRESSIBLE_WRITEBACK;
            default -> -Errno.EINVAL;
        };
    }

    /** The limit-store generation at the last passed check (writeback task only). */
    protected long lastCheckGen;

    /** What {@link #wbLimitCheck} returns when the budget is spent. */
    protected static final long WB_LIMIT_EXHAUSTED = Long.MIN_VALUE;

    /**
     * The loop's write-back limit check (label {@code limitCheck} is the caller's):
     * {@code if (wb_limit_enable && !bd_wb_limit)} means stop with -EIO. v6.13 – v6.18 and the
     * multipage patch test under wb_limit_lock ({@code locked}); v6.19 tests without it, the
     * stores being excluded by init_lock. Returns {@link #WB_LIMIT_EXHAUSTED}, or the ghost epoch
     * of the check, which the page carries to its conversion.
     */
    protected final long wbLimitCheck(boolean locked) {
        if (locked) {
            zram.wbLimitLock.spinLock();
        }
        try {
            if (zram.wbLimitEnable() && zram.bdWbLimit() == 0) {
                return WB_LIMIT_EXHAUSTED;
            }
            lastCheckGen = zram.wbLimitGen();
            return zram.ghost.limitCheckPassed();
        } finally {
            if (locked) {
                zram.wbLimitLock.spinUnlock();
            }
        }
    }

    /** init_wb_ctl() where the design has one (batched); false is -ENOMEM. */
    protected boolean initWbCtl() {
        return true;
    }

    /** release_wb_ctl() where the design has one (batched). */
    protected void releaseWbCtl() {
    }

    /** zram_writeback_slots(): the design. Returns 0 or the last error. */
    protected abstract int zramWritebackSlots(ZramPpCtl ctl);

    // ---- what the invariants see ----------------------------------------------------------

    /** Whether writeback_store() has started and not yet returned. */
    public final boolean running() {
        return running;
    }

    /** Ghost: the pp ctl of the running (or last) writeback_store(); null before the first. */
    public final ZramPpCtl ppCtl() {
        return ppCtl;
    }

    /** Ghost: the write of slot {@code index} to the device succeeded. */
    protected final void noteWriteSucceeded(int index) {
        successfulWrites.add(index);
    }

    /** Ghost: the slots whose device write succeeded in the last (or current) writeback. */
    public final Set<Integer> successfulWrites() {
        return Set.copyOf(successfulWrites);
    }

    /** Every owner of a reserved block other than a ZRAM_WB slot: requests, the carried block. */
    public abstract void forEachBlockOwner(BlockOwners sink);

    /**
     * What the last writeback left allocated after it returned: the pp ctl, its pp-slots, and the
     * design's own objects ({@link #forEachDesignLeak}). Nothing while it runs.
     */
    public final void forEachLeak(Leaks sink) {
        ZramPpCtl ctl = ppCtl;
        if (running() || ctl == null) {
            return;
        }
        if (!ctl.freed()) {
            sink.leak(ctl.name());
        }
        if (zram.initLock.held()) {
            sink.leak("init_lock (held)");
        }
        for (ZramPpSlot pps : ctl.placed()) {
            if (!pps.freed()) {
                sink.leak(pps.name());
            }
        }
        forEachDesignLeak(sink);
    }

    /** The design's objects a returned writeback left allocated (requests, pages, wb_ctl). */
    protected void forEachDesignLeak(Leaks sink) {
    }

    /** Every live request that holds a pp-slot pointer. */
    public abstract void forEachPpsHolder(PpsHolders sink);

    /** The invariants only this design's spec has (none by default). */
    public void designChecks(Findings sink) {
    }
}
