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
 * <p>What the constants do not fix, the trace does (it is read ahead): the slot each environment
 * process works on and the value a limit store writes (both chosen by the process's first step),
 * and the compressed size of each page, which decides the order select_pp_slot() takes them in
 * (the spec lets any pp-slot be next; the buckets order by size).
 */
public final class JavaTwin implements AutoCloseable {

    /** How long a model thread may sleep before the kernel reports a hung task and ends it. */
    static final Duration HUNG = Duration.ofSeconds(30);

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

    private JavaTwin(Design design, ModelConstants k, List<TraceStep> trace, Refinement refinement) {
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
            case MULTIPAGE -> multipage(k, trace);
            case BATCHED -> new Batched(zram, variant(design, k), (int) k.integer("PoolSize"));
        };
        if (k.has("CompressedWb") && k.bool("CompressedWb")) {
            zram.compressedWritebackStore(true); // echo 1 > compressed_writeback
        }
        Map<Integer, Integer> size = sizes(refinement.selectOrder(trace));
        for (int s : slots) {
            zram.zramBioWrite(s, size.get(s));
        }
        long epochs = 0;
        if (k.bool("WbLimitEnable")) {
            zram.writebackLimitEnableStore(true);
            epochs++;
        }
        zram.writebackLimitStore(k.integer("WbLimitInit"));
        setupEpochs = epochs + 1;
        envSlots = new HashMap<>();
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
        kernel.setHungTaskTimeout(HUNG);
        lockstep = new Lockstep(kernel::sleeping, Set.of(Thread.currentThread()));
        kernel.setStep(lockstep);
        start("wb", () -> wb.writebackStore(scanArgs(k)));
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
        for (Actor<?> a : processes.values()) {
            if (lockstep.settle(a.thread()) != Lockstep.Stop.PARKED) {
                throw new IllegalStateException(a.name() + " did not reach its first label");
            }
        }
    }

    /** Builds and starts the twin; its threads are parked at their first labels. */
    public static JavaTwin build(Design design, ModelConstants k, List<TraceStep> trace, Refinement refinement) {
        return new JavaTwin(design, k, trace, refinement);
    }

    /** The multipage design; its pool's kzalloc fails where the trace allocates req_prealloc. */
    private MultiPage multipage(ModelConstants k, List<TraceStep> trace) {
        MultiPage mp = new MultiPage(zram, variant(Design.MULTIPAGE, k), (int) k.integer("PoolSize"));
        mp.setPreallocCnt((int) k.integer("PreallocSize"));
        for (TraceStep st : trace) {
            if ("poolAlloc".equals(st.label())) {
                long n = ((TlaValue.Int) st.var("poolN")).value();
                mp.setKzallocFails(n != k.integer("PoolSize") && k.bool("AllocFails"));
            }
        }
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

    /** writeback_store()'s argument: one page_indexes= range over Slots, then ScanTwice again. */
    private String scanArgs(ModelConstants k) {
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

    /** The held write bios, oldest first. */
    public List<Bio> pendingWrites() {
        return bdev.pendingBios().stream().filter(b -> b.op() == Bio.Op.WRITE).toList();
    }

    /**
     * What the driver does when a thread sleeps mid-step: a read waits for its bio, which the
     * replay completes at once (the spec's readBio is one step). Returns whether it woke anyone.
     */
    boolean completeReads(Thread sleeper) {
        List<Bio> reads = bdev.pendingBios().stream().filter(b -> b.op() == Bio.Op.READ).toList();
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
