package dev.zwb.conform;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Kernel;
import dev.zwb.sched.Actor;
import dev.zwb.sched.Lockstep;
import dev.zwb.writeback.Batched;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.MultiPage;
import dev.zwb.writeback.SinglePage;
import dev.zwb.writeback.Variant;
import dev.zwb.writeback.Writeback;
import dev.zwb.zram.Recompress;
import dev.zwb.zram.Zram;
import dev.zwb.zram.ZramPpCtl;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * The Java twin of one TLC model, built from the model's constants, its threads under a
 * {@link Lockstep}: one thread per spec process ("wb" runs writeback_store(), each environment
 * process its one operation), named as the process. Spec slot s is Java slot s (slot 0 is never
 * used); blocks 0..MaxBlock are the device's pages.
 *
 * <p>What the constants do not fix is given as {@link Choices}: a replay reads them ahead in the
 * trace, a validation run draws them from its seed: the slot each environment process works on
 * and the value a limit store writes (both chosen by the process's first step), the compressed
 * size of each page, which decides the order select_pp_slot() takes them in (the spec lets any
 * pp-slot be next; the buckets order by size), and whether the multipage pool's kzalloc fails.
 */
public final class JavaTwin implements AutoCloseable {

    /** How long a model thread may sleep before the kernel reports a hung task and ends it. */
    static final Duration HUNG = Duration.ofSeconds(30);
    /** The age an "aged" markIdle process writes to idle_store() (echo 3600 > idle). */
    static final String AGE = "3600";

    public final Design design;
    public final ModelConstants constants;
    public final Kernel kernel = new Kernel();
    public final BackingDevice bdev;
    public final Zram zram;
    public final Writeback wb;
    public final Lockstep lockstep;
    /** Limit stores the set-up made: the spec's limEpoch is the ghost's epoch less these. */
    public final long setupEpochs;
    public final List<Integer> slots;
    private final Map<String, Actor<?>> processes = new LinkedHashMap<>();
    private final Map<Thread, String> names = new HashMap<>();
    /** IRQ threads whose end_io goes on after the device step, and the process each is ("endio[i]"). */
    private final Map<Thread, String> irqs = new LinkedHashMap<>();
    private final Map<String, Integer> envSlots;
    private final Set<String> stepped = new HashSet<>();

    /**
     * What the constants leave open: the slot each environment process works on, the value each
     * limit store writes, the order select_pp_slot() takes the slots in (it decides their
     * compressed sizes), and whether the multipage pool's kzalloc fails. A replay reads them off
     * the trace; a validation run draws them.
     */
    public record Choices(Map<String, Integer> envSlots, Map<String, Long> stores, List<Integer> selectOrder,
                          boolean kzallocFails) {
        public Choices {
            envSlots = Map.copyOf(envSlots);
            stores = Map.copyOf(stores);
            selectOrder = List.copyOf(selectOrder);
        }

        /** The choices a trace made (read ahead). */
        static Choices of(ModelConstants k, List<TraceStep> trace, Refinement refinement) {
            Map<String, Integer> envSlots = new HashMap<>();
            Map<String, Long> stores = new HashMap<>();
            for (int i = 1; i < trace.size(); i++) {
                TraceStep st = trace.get(i);
                if (st.process() != null && k.strings("EnvProcs").contains(st.process())
                        && !envSlots.containsKey(st.process())) {
                    envSlots.put(st.process(), (int) ((TlaValue.Int) ((TlaValue.Fn) st.var("envSlot"))
                            .get(TlaValue.str(st.process()))).value());
                    stores.put(st.process(), ((TlaValue.Int) st.var("limStored")).value());
                }
            }
            boolean kzallocFails = false;
            for (TraceStep st : trace) {
                if ("poolAlloc".equals(st.label())) {
                    long n = ((TlaValue.Int) st.var("poolN")).value();
                    kzallocFails = n != k.integer("PoolSize") && k.has("AllocFails") && k.bool("AllocFails");
                }
            }
            return new Choices(envSlots, stores, refinement.selectOrder(trace), kzallocFails);
        }
    }

    private JavaTwin(Design design, ModelConstants k, Choices choices) {
        this.design = design;
        this.constants = k;
        this.slots = k.ints("Slots");
        for (int i = 0; i < slots.size(); i++) {
            if (slots.get(i) != i + 1) {
                throw new IllegalArgumentException(k.file() + ": Slots = " + k.get("Slots") + "; a replay needs 1..n");
            }
        }
        bdev = BackingDevice.held((int) k.integer("MaxBlock") + 1);
        zram = new Zram(kernel, slots.size() + 1, bdev);
        wb = switch (design) {
            case SINGLE -> new SinglePage(zram, variant(design, k));
            case MULTIPAGE -> multipage(k, choices.kzallocFails());
            case BATCHED -> new Batched(zram, variant(design, k), (int) k.integer("PoolSize"));
        };
        if (k.has("AsyncRead")) {
            zram.setAsyncRead(dev.zwb.zram.AsyncRead.ofSpec(((TlaValue.Str) k.get("AsyncRead")).value()));
        }
        if (k.has("CompressedWb") && k.bool("CompressedWb")) {
            zram.compressedWritebackStore(true); // echo 1 > compressed_writeback
        }
        Map<Integer, Integer> size = sizes(choices.selectOrder());
        setUpSlots(k, size);
        long epochs = 0;
        if (k.bool("WbLimitEnable")) {
            zram.writebackLimitEnableStore(true);
            epochs++;
        }
        zram.writebackLimitStore(k.integer("WbLimitInit"));
        setupEpochs = epochs + 1;
        envSlots = choices.envSlots();
        Map<String, Long> stores = choices.stores();
        kernel.setHungTaskTimeout(HUNG);
        lockstep = new Lockstep(kernel::sleeping, Set.of(Thread.currentThread()));
        kernel.setStep(lockstep);
        int runs = k.has("WbRuns") ? (int) k.integer("WbRuns") : 1;
        start("wb", () -> wb.writebackStoreRuns(scanArgs(k), runs));
        for (String p : k.strings("EnvProcs")) {
            int slot = envSlots.getOrDefault(p, slots.get(0));
            Callable<?> body = switch (p) {
                case "freeNotify" -> () -> zram.zramSlotFreeNotify(slot);
                case "discard" -> () -> {
                    zram.zramBioDiscard(slot);
                    return null;
                };
                case "write", "write2" -> () -> zram.zramBioWrite(slot, size.get(slot));
                case "read" -> () -> zram.zramBioRead(slot);
                case "limitStore" -> () -> {
                    zram.writebackLimitStore(stores.getOrDefault(p, 0L));
                    return null;
                };
                default -> throw new IllegalArgumentException(k.file() + ": unknown environment process " + p);
            };
            start(p, body);
        }
        String markIdle = k.has("MarkIdle") ? ((TlaValue.Str) k.get("MarkIdle")).value() : "none";
        switch (markIdle) {
            case "none" -> { }
            // "aged": any age does; the twin keeps no ac_time (Zram.idleStore)
            case "all", "aged" -> start("markIdle", () -> zram.idleStore(markIdle.equals("all") ? "all" : AGE));
            default -> throw new IllegalArgumentException(k.file() + ": MarkIdle = \"" + markIdle
                    + "\"; accepted: \"none\", \"all\", \"aged\"");
        }
        for (Actor<?> a : processes.values()) {
            if (lockstep.settle(a.thread()) != Lockstep.Stop.PARKED) {
                throw new IllegalStateException(a.name() + " did not reach its first label");
            }
        }
    }

    /** Builds and starts the twin; its threads are parked at their first labels. */
    public static JavaTwin build(Design design, ModelConstants k, List<TraceStep> trace, Refinement refinement) {
        JavaTwin twin = new JavaTwin(design, k, Choices.of(k, trace, refinement));
        twin.zram.setReadAllocFails(readAllocFails(trace));
        return twin;
    }

    /**
     * Whether the trace's read_from_bdev_async() failed its allocation (7.0+): its readSubmit step
     * returned the reader with the failed page, not to zram_accessed().
     */
    private static boolean readAllocFails(List<TraceStep> trace) {
        for (int i = 1; i < trace.size(); i++) {
            TraceStep st = trace.get(i);
            if ("readSubmit".equals(st.label()) && "read".equals(st.process())) {
                return CommonMapping.FAILED.equals(st.var("rdVal"));
            }
        }
        return false;
    }

    /** Builds and starts the twin with the choices given; its threads are parked at their first labels. */
    public static JavaTwin build(Design design, ModelConstants k, Choices choices) {
        return new JavaTwin(design, k, choices);
    }

    /** The multipage design; its pool's kzalloc fails if {@code kzallocFails} (req_prealloc is used). */
    private MultiPage multipage(ModelConstants k, boolean kzallocFails) {
        MultiPage mp = new MultiPage(zram, variant(Design.MULTIPAGE, k), (int) k.integer("PoolSize"));
        mp.setPreallocCnt((int) k.integer("PreallocSize"));
        mp.setKzallocFails(kzallocFails);
        return mp;
    }

    private void start(String name, Callable<?> body) {
        Actor<?> a = Actor.start(name, body);
        processes.put(name, a);
        names.put(a.thread(), name);
    }

    private static Variant variant(Design design, ModelConstants k) {
        Set<Defect> on = EnumSet.noneOf(Defect.class);
        for (String s : k.strings("Switches")) {
            on.add(Defect.parse(s));
        }
        // Kernel = "6.19" is the as-released code (batched: the completion calls slot_free())
        boolean v619 = k.has("Kernel") && k.get("Kernel").equals(TlaValue.str("6.19"));
        return new Variant(design, v619 ? "as-released" : "replay", on);
    }

    /**
     * Every slot written before the writeback: HugeSlots incompressible (ZRAM_HUGE), the others
     * with their compressed sizes. In three passes: IncompressibleSlots first, marked by
     * recompress_store() (which also clears ZRAM_IDLE); then the other IdleSlots, after which
     * idle_store("all") marks every slot written so far; then the rest. So IncompressibleSlots
     * must lie within IdleSlots unless IdleSlots is empty (an incompressible slot written before
     * the idle marking is marked too).
     */
    private void setUpSlots(ModelConstants k, Map<Integer, Integer> size) {
        Set<Integer> huge = new HashSet<>(k.has("HugeSlots") ? k.ints("HugeSlots") : List.of());
        Set<Integer> idle = new HashSet<>(k.has("IdleSlots") ? k.ints("IdleSlots") : List.of());
        Set<Integer> incompressible = new HashSet<>(k.has("IncompressibleSlots") ? k.ints("IncompressibleSlots") : List.of());
        if (!idle.isEmpty() && !idle.containsAll(incompressible)) {
            throw new IllegalArgumentException(k.file() + ": IncompressibleSlots = " + k.get("IncompressibleSlots")
                    + " with IdleSlots = " + k.get("IdleSlots") + "; the twin marks idle every slot written before"
                    + " idle_store(); accepted: IncompressibleSlots within IdleSlots, or IdleSlots = {}");
        }
        List<Set<Integer>> passes = new ArrayList<>();
        passes.add(incompressible);
        Set<Integer> idleOnly = new HashSet<>(idle);
        idleOnly.removeAll(incompressible);
        passes.add(idleOnly);
        Set<Integer> rest = new HashSet<>(slots);
        rest.removeAll(incompressible);
        rest.removeAll(idle);
        passes.add(rest);
        for (int pass = 0; pass < passes.size(); pass++) {
            for (int s : slots) {
                if (!passes.get(pass).contains(s)) {
                    continue;
                }
                if (huge.contains(s)) {
                    zram.zramBioWrite(s, Zram.PageKind.HUGE);
                } else {
                    zram.zramBioWrite(s, size.get(s));
                }
            }
            if (pass == 0 && !incompressible.isEmpty()) {
                Recompress.recompressStore(zram, ""); // echo "" > recompress: every slot written so far
            }
            if (pass == 1 && !idle.isEmpty()) {
                zram.idleStore(); // echo all > idle
            }
        }
    }

    /**
     * writeback_store()'s argument: one page_indexes= range over Slots, then ScanTwice again; or
     * type=WbMode, which scans the whole device (index 0 too, never written).
     */
    private String scanArgs(ModelConstants k) {
        if (k.has("WbMode") && !k.get("WbMode").equals(TlaValue.str("page_indexes"))) {
            return "type=" + ((TlaValue.Str) k.get("WbMode")).value();
        }
        StringBuilder b = new StringBuilder("page_indexes=1-" + slots.size());
        for (int s : k.ints("ScanTwice")) {
            b.append(" page_index=").append(s);
        }
        return b.toString();
    }

    /**
     * Compressed sizes: the slot selected first gets the largest (the highest bucket), slots never
     * selected the smallest.
     */
    private Map<Integer, Integer> sizes(List<Integer> selectOrder) {
        List<Integer> rank = new ArrayList<>();
        for (int s : selectOrder) {
            if (!rank.contains(s)) {
                rank.add(s);
            }
        }
        Map<Integer, Integer> size = new HashMap<>();
        for (int s : slots) {
            int r = rank.contains(s) ? rank.indexOf(s) : slots.size();
            size.put(s, Zram.COMPRESSED_SIZE + ZramPpCtl.PP_BUCKET_SIZE_RANGE * (slots.size() - r));
        }
        return size;
    }

    /** The thread of process {@code name}, or null if the model has no such process. */
    public Thread thread(String name) {
        Actor<?> a = processes.get(name);
        return a == null ? null : a.thread();
    }

    /** The process a thread is, or null (the driver, an IRQ thread that ended its bio). */
    public String processOf(Thread t) {
        return t == null ? null : names.getOrDefault(t, irqs.get(t));
    }

    /** An IRQ thread goes on as process {@code process} (an endio) after its device step. */
    void irqIs(Thread t, String process) {
        irqs.put(t, process);
    }

    /** The live IRQ threads that are process {@code process}, oldest first. */
    public List<Thread> irqThreads(String process) {
        return irqs.entrySet().stream().filter(e -> e.getValue().equals(process) && e.getKey().isAlive())
                .map(Map.Entry::getKey).toList();
    }

    /**
     * The thread that takes process {@code process}'s step at {@code label}: the process's own
     * thread, or of an endio's IRQ threads the one parked at {@code label}.
     */
    public Thread threadAt(String process, String label) {
        Thread own = thread(process);
        if (own != null) {
            return own;
        }
        if (process.equals("rcu")) { // the grace period ends on whichever thread parked there
            for (Thread t : allThreads()) {
                if (label.equals(lockstep.parkedAt(t))) {
                    return t;
                }
            }
            return null;
        }
        List<Thread> mine = irqThreads(process);
        for (Thread t : mine) {
            if (label.equals(lockstep.parkedAt(t))) {
                return t;
            }
        }
        return mine.isEmpty() ? null : mine.get(0);
    }

    /** Every model thread: the processes' and the live IRQ threads. */
    public List<Thread> allThreads() {
        List<Thread> all = new ArrayList<>(names.keySet());
        irqs.keySet().stream().filter(Thread::isAlive).forEach(all::add);
        return all;
    }

    /** Waits until every model thread is parked, finished or asleep (a woken thread runs to its label). */
    void settleAll() {
        for (Thread t : allThreads()) {
            lockstep.settle(t);
        }
    }

    /** The processes, in start order ("wb" first). */
    public List<String> processNames() {
        return List.copyOf(processes.keySet());
    }

    /** The program counter of a process: the label its thread is parked at, or {@code end} once it returned. */
    public String pc(String process, String end) {
        Thread t = thread(process);
        String at = lockstep.parkedAt(t);
        if (at != null) {
            return at;
        }
        String from = lockstep.steppingFrom(t);
        if (from != null && t.isAlive() && kernel.sleeping(t)) {
            return from; // asleep on a lock another holds: the spec's step at this label is not enabled yet
        }
        return t.isAlive() ? "(running)" : end;
    }

    /** The slot an environment process works on, 0 before its first step (the spec's envSlot). */
    public int envSlot(String process) {
        return stepped.contains(process) ? envSlots.getOrDefault(process, 0) : 0;
    }

    /** Records that a process took a step. */
    void stepped(String process) {
        stepped.add(process);
    }

    /**
     * The held child bios of asynchronous reads (AsyncRead), oldest first: the device ends them in
     * a step of their own (the spec's readEndio).
     */
    public List<Bio> pendingAsyncReads() {
        return bdev.pendingBios().stream()
                .filter(b -> b.op() == Bio.Op.READ && !(b.privateData() instanceof dev.zwb.kernel.Completion)).toList();
    }

    /** The held write bios, oldest first. */
    public List<Bio> pendingWrites() {
        return bdev.pendingBios().stream().filter(b -> b.op() == Bio.Op.WRITE).toList();
    }

    /**
     * What the driver does when a thread sleeps mid-step: a read waits for its bio, which the
     * replay completes at once (the spec's readBio is one step). Returns whether it woke anyone.
     */
    boolean completeReads(Thread sleeper) {
        List<Bio> reads = bdev.pendingBios().stream()
                .filter(b -> b.op() == Bio.Op.READ && b.privateData() instanceof dev.zwb.kernel.Completion).toList();
        for (Bio b : reads) {
            bdev.complete(b, 0).join();
        }
        return !reads.isEmpty();
    }

    @Override
    public void close() {
        lockstep.releaseAll();
        bdev.autoComplete();
        for (Actor<?> a : processes.values()) {
            if (!a.returnedWithin(Duration.ofSeconds(2))) {
                a.kill();
            }
        }
        irqs.keySet().forEach(Thread::interrupt);
        bdev.close();
    }
}
