package dev.zwb.stress;

import dev.zwb.check.Violation;
import dev.zwb.kernel.Step;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import dev.zwb.zram.AsyncRead;
import dev.zwb.zram.Zram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One harness scenario per defect switch: a design, a machine size, a sequential setup, and the
 * concurrent part: the writeback task (or, for the read-path switches, the reader), at most one
 * environment actor, and the bio completion (one thread, or one interrupt thread per bio). After
 * every thread has finished, every invariant is checked (the state invariants, the kernel log,
 * leaks, endio exceptions, and WritebackReturns: an idle completion thread reads the model's
 * wait graph and reports actors asleep with nothing left to wake them); a scenario may also name a
 * {@link Probe}: a spec label at which the
 * thread that reaches it checks one invariant, for states that the end state no longer shows (a
 * dangling pointer in a pool that is freed by the end, data marked written before it is on disk).
 *
 * <p>The same scenario runs with the defect switched on alone ({@code Variant.only}) and with
 * every defect off ({@code Variant.fixed}).
 */
public final class Scenario {

    /**
     * The defect's invariant, checked by the thread named {@code thread} when it reaches spec
     * label {@code label}, on that thread (every other thread is then parked by the scheduler or
     * blocked; the model's checks skip what a lock holder is in the middle of changing).
     */
    public record Probe(String label, String thread) {
    }

    /** The actors of one run: names and bodies. */
    @FunctionalInterface
    public interface Body {
        void run(Machine m);
    }

    /** The defect switch, or null for a scenario of the fixed paths only. */
    public final Defect defect;
    /** The defect's name, or the fixed-only scenario's. */
    public final String name;
    public final Design design;
    public final int nrSlots;
    public final int nrBlocks;
    public final int batch;
    /** Completion status of every bio (0, or -EIO). */
    public final int bioStatus;
    public final Body setup;
    public final String taskName;
    public final Body task;
    public final String envName;
    public final Body env;
    public final Probe probe;
    /** One sentence: what the interleaving has to do. */
    public final String story;
    /**
     * 0: one completion thread completes every bio, oldest first. n &gt; 0: n interrupt threads,
     * each completing one bio (any one: the oldest held when it runs), as bios end on
     * different CPUs; a model checker then needs no switch to stop one endio from going on with
     * the next bio.
     */
    public final int irqs;
    /** The deterministic prefix up to the state just before the race, or null (none). */
    public final Prefix prefix;

    private Scenario(Defect defect, String name, Design design, int nrSlots, int nrBlocks, int batch, int bioStatus,
                     Body setup, String taskName, Body task, String envName, Body env, Probe probe,
                     String story, int irqs, Prefix prefix) {
        this.defect = defect;
        this.name = name;
        this.design = design;
        this.nrSlots = nrSlots;
        this.nrBlocks = nrBlocks;
        this.batch = batch;
        this.bioStatus = bioStatus;
        this.setup = setup;
        this.taskName = taskName;
        this.task = task;
        this.envName = envName;
        this.env = env;
        this.probe = probe;
        this.story = story;
        this.irqs = irqs;
        this.prefix = prefix;
        if (prefix != null && env != null) {
            throw new IllegalArgumentException(name + ": a prefix is the task's and the endio's alone; "
                    + "an environment actor would run beside it");
        }
    }

    /** This scenario with {@code n} one-bio interrupt threads instead of one completion thread. */
    Scenario withIrqs(int n) {
        return new Scenario(defect, name, design, nrSlots, nrBlocks, batch, bioStatus, setup, taskName,
                task, envName, env, probe, story, n, prefix);
    }

    /**
     * This scenario started from the state just before its race, reached through
     * {@code prefix}; the model checker's interleavings start there.
     */
    Scenario startingAt(Prefix prefix) {
        return new Scenario(defect, name, design, nrSlots, nrBlocks, batch, bioStatus, setup, taskName,
                task, envName, env, probe, story, irqs, prefix);
    }

    public Variant defective() {
        if (defect == null) {
            throw new IllegalStateException(name + " is a scenario of the fixed paths only");
        }
        return Variant.only(design, defect);
    }

    public Variant fixed() {
        return Variant.fixed(design);
    }

    @Override
    public String toString() {
        return name;
    }

    // ---- running one ------------------------------------------------------------------------

    /**
     * Runs the scenario once on fresh state with real threads: setup on the calling thread, then
     * the task, the environment actor and the completion as threads, joined; then the checks.
     * Returns every violation (probe first). Deterministic harnesses call this from their
     * scheduler (Lincheck's runConcurrentTest); nothing here sleeps or spins.
     */
    public List<Violation> runOnce(Variant variant) {
        Machine m = new Machine(variant, nrSlots, nrBlocks, batch);
        runSetup(m);
        List<Violation> probed = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger probes = new AtomicInteger();
        if (probe != null) {
            m.kernel.setStep(label -> {
                if (label.equals(probe.label()) && Thread.currentThread().getName().equals(probe.thread())) {
                    probes.incrementAndGet();
                    probed.addAll(m.violationsOf(defect));
                }
            });
        }
        AtomicInteger done = new AtomicInteger();
        int actors = env == null ? 1 : 2;
        List<Throwable> died = Collections.synchronizedList(new ArrayList<>());
        Thread t = actor(taskName, () -> task.run(m), m, done, died);
        Thread e = env == null ? null : actor(envName, () -> env.run(m), m, done, died);
        List<Thread> completions = new ArrayList<>();
        Prefix.Relay[] relay = {null};
        for (int i = 0; i < Math.max(1, irqs); i++) {
            int irq = i;
            completions.add(new Thread(() -> {
                try {
                    if (relay[0] != null) {
                        relay[0].awaitTurn(irq); // the interrupt arrives at the hand-over
                    }
                    if (irqs == 0) {
                        m.completeUntil(() -> done.get() == actors, bioStatus);
                    } else {
                        m.completeOne(() -> done.get() == actors, bioStatus);
                    }
                } catch (Throwable x) {
                    died.add(x);
                }
            }, irqs == 0 ? "completion" : "irq-" + (i + 1)));
        }
        m.watch(e == null ? List.of(t) : List.of(t, e));
        if (prefix != null) {
            // see Prefix: the completion threads wait for their turn, the task steps alone
            relay[0] = prefix.relay(t, completions);
            m.kernel.setStep(m.kernel.step().andThen(relay[0]));
            relay[0].startIrqs(); // first: each waits for its turn
        }
        t.start();
        if (e != null) {
            e.start();
        }
        if (prefix == null) {
            completions.forEach(Thread::start);
        }
        join(t);
        if (e != null) {
            join(e);
        }
        completions.forEach(Scenario::join);
        if (relay[0] != null && relay[0].missed() != null) {
            throw new AssertionError("harness: the prefix's hand-over never came: " + relay[0].missed()
                    + " (did the model rename its labels?)");
        }
        if (m.blocked() != null) {
            // the wait graph found the actors blocked for ever and killed them: their Oops is
            // the end of the run, and the blocked state is the violation (WritebackReturns)
            died.removeIf(x -> x instanceof dev.zwb.kernel.Oops);
        }
        if (!died.isEmpty()) {
            throw new AssertionError("an actor died: " + died.get(0), died.get(0));
        }
        if (probe != null && probes.get() == 0) {
            throw new AssertionError("harness: probe label " + probe.label() + " was never reached by "
                    + probe.thread() + " (did the model rename its labels?)");
        }
        List<Violation> all = new ArrayList<>(probed);
        all.addAll(m.violations());
        return all;
    }

    private static Thread actor(String name, Runnable body, Machine m, AtomicInteger done,
                                List<Throwable> died) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable x) {
                died.add(x);
            } finally {
                done.incrementAndGet();
                m.actorDone();
            }
        }, name);
    }

    private static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException x) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /**
     * The setup runs on the calling thread with a synchronous device: at every label the bios
     * the device holds are completed on the spot, so a writeback in the setup needs no second
     * thread (a label always comes between a submission and the wait for it).
     */
    private void runSetup(Machine m) {
        m.kernel.setStep(label -> {
            while (m.bdev.completeNextInline(0)) {
                // drain
            }
        });
        setup.run(m);
        while (m.bdev.completeNextInline(0)) {
            // drain
        }
        m.kernel.setStep(Step.NONE);
    }

    // ---- the catalogue ------------------------------------------------------------------------

    private static Scenario of(Defect d, Design design, int slots, int blocks, int batch, int status,
                               Body setup, String taskName, Body task, String envName, Body env,
                               Probe probe, String story) {
        return new Scenario(d, d.name(), design, slots, blocks, batch, status, setup, taskName, task,
                envName, env, probe, story, 0, null);
    }

    /** A scenario of the fixed paths only (no defect, no probe). */
    private static Scenario fixedOnly(String name, Design design, int slots, int blocks, int batch,
                                      int status, Body setup, Body task, String envName, Body env,
                                      String story, int irqs) {
        return new Scenario(null, name, design, slots, blocks, batch, status, setup, "wb-task", task,
                envName, env, null, story, irqs, null);
    }

    /**
     * Scenarios of the fixed paths that no defect scenario has: a failing bio in batched with
     * two endios in flight at once, and request reuse in multipage (a pool of one) with a limit
     * store landing mid-writeback (multipage allows one; v6.19's init_lock excludes it from
     * batched). Only {@link #fixed()} runs them; every invariant is checked at the end.
     */
    public static List<Scenario> fixedOnly() {
        return List.of(
                fixedOnly("BATCHED_FAILING_BIOS_TWO_ENDIOS", Design.BATCHED, 2, 4, 2, -5,
                        m -> {
                            write(m, 0);
                            write(m, 1);
                            m.zram.writebackLimitEnableStore(true);
                            m.zram.writebackLimitStore(2);
                        },
                        writeback("page_indexes=0-1"), null, null,
                        "batch of two, both bios fail, one interrupt thread per bio: both endios "
                                + "publish at once; both pages are refunded, nothing leaks", 2),
                fixedOnly("MULTIPAGE_REUSE_LIMIT_STORE", Design.MULTIPAGE, 3, 4, 1, 0,
                        m -> {
                            for (int i = 0; i < 3; i++) {
                                write(m, i);
                            }
                            m.zram.writebackLimitEnableStore(true);
                            m.zram.writebackLimitStore(3);
                        },
                        writeback("page_indexes=0-2"),
                        "store", m -> m.zram.writebackLimitStore(1),
                        "a pool of one request, reused for each page, while the limit is set to 1 "
                                + "in the middle", 0));
    }

    /**
     * zram_bio_write() of an incompressible page: the slot is ZRAM_HUGE, of size class 64, so
     * select_pp_slot(), which looks from the largest class down, finds it in the first bucket.
     * With compressible pages (class 32) every selection walks 33 empty list heads, every one a
     * point where Lincheck may switch threads; Lincheck tries every one-switch interleaving
     * before any two-switch one, and several defects need two. The writeback path is the same.
     */
    private static void write(Machine m, int index) {
        m.zram.zramBioWrite(index, Zram.PageKind.HUGE);
    }

    private static Body writeback(String args) {
        return m -> m.wb.writebackStore(args);
    }

    /** One scenario per defect switch, in the order of {@link Defect}. */
    public static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.add(of(Defect.NO_PP_RECHECK, Design.SINGLE, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                "writer", m -> write(m, 0), null,
                "slot 0 is written again after the task read it and before the completion "
                        + "converts it: the conversion must re-test ZRAM_PP_SLOT"));
        all.add(of(Defect.READ_BLKIDX_UNLOCKED, Design.SINGLE, 2, 4, 1, 0,
                m -> {
                    write(m, 0);
                    m.wb.writebackStore("page_index=0");
                },
                "reader", m -> m.zram.zramBioRead(0),
                "discard", m -> m.zram.zramBioDiscard(0), null,
                "slot 0 is on block 1; it is freed after the reader dropped the slot lock and "
                        + "before it loaded the handle, so the reader reads block 0"));
        all.add(of(Defect.NO_READ_RECHECK, Design.SINGLE, 2, 4, 1, 0,
                m -> {
                    write(m, 0);
                    write(m, 1);
                    m.wb.writebackStore("page_index=0");
                },
                "reader", m -> m.zram.zramBioRead(0),
                "discard+wb", m -> {
                    m.zram.zramBioDiscard(0);
                    m.wb.writebackStore("page_index=1");
                }, null,
                "the reader loaded block 1 under the lock; slot 0 is freed and slot 1 written "
                        + "back to block 1 before the read bio runs"));
        all.add(of(Defect.LIMIT_AT_COMPLETION, Design.MULTIPAGE, 2, 4, 2, 0,
                m -> {
                    write(m, 0);
                    write(m, 1);
                    m.zram.writebackLimitEnableStore(true);
                    m.zram.writebackLimitStore(1);
                },
                "wb-task", writeback("page_indexes=0-1"),
                null, null, null,
                "budget 1, two pages: both limit checks pass before either completion charges"));
        all.add(of(Defect.WRONG_PPS_CLEAR, Design.MULTIPAGE, 2, 4, 2, -5,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, new Probe("drainRelease", "wb-task"),
                "the write fails; the drain releases the pp-slot and clears the wrong pointer"));
        all.add(of(Defect.REQ_POOL_UAF, Design.MULTIPAGE, 2, 4, 2, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, null,
                "pool of two (with one, the task sleeps in the main loop until the complete()): "
                        + "the endio clears ALLOCATED; the drain frees the pool and returns before "
                        + "the endio's complete()"));
        all.add(of(Defect.WB_CTL_UAF, Design.BATCHED, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, null,
                "the endio puts the request on done_reqs; the task reaps it without the wake-up "
                        + "and frees wb_ctl before the endio's wake_up()"));
        all.add(of(Defect.BLK_IDX_LEAK, Design.BATCHED, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                "discard", m -> m.zram.zramBioDiscard(0), null,
                "slot 0 is freed after the task reserved a block for it; the loop ends carrying "
                        + "the block"));
        all.add(of(Defect.EARLY_PP_RELEASE, Design.BATCHED, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, null,
                "an untouched slot written successfully is never marked ZRAM_WB"));
        all.add(of(Defect.PPS_NOT_OWNED, Design.BATCHED, 2, 4, 2, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, new Probe("drainWait", "wb-task"),
                "batch of two, one slot: the pp-slot stays in its bucket and is submitted twice"));
        all.add(of(Defect.COMPLETION_REINIT, Design.BATCHED, 2, 4, 1, 0,
                m -> {
                    write(m, 0);
                    write(m, 1);
                },
                "wb-task", writeback("page_indexes=0-1"),
                null, null, new Probe("releaseCtl", "wb-task"),
                "batch of one, one interrupt thread per bio: the first endio drops num_inflight "
                        + "to 0 and stalls before complete(); the late complete() ends the wait "
                        + "for the second bio").withIrqs(2));
        all.add(of(Defect.RB_RECHECK_WB_ONLY, Design.BATCHED, 2, 4, 1, 0,
                m -> {
                    m.zram.compressedWritebackStore(true);
                    write(m, 0);
                    m.wb.writebackStore("page_index=0");
                },
                "reader", m -> m.zram.zramBioRead(0),
                "discard", m -> m.zram.zramBioDiscard(0), null,
                "compressed writeback: slot 0 is freed after the reader took its block and "
                        + "before decompress_bdev_page(), which then fails the read with -EIO"));
        all.add(of(Defect.WB_DROPS_SIZE_PRIO, Design.BATCHED, 2, 4, 1, 0,
                m -> {
                    m.zram.compressedWritebackStore(true);
                    write(m, 0);
                    m.wb.writebackStore("page_index=0");
                },
                "reader", m -> m.zram.zramBioRead(0),
                null, null, null,
                "compressed writeback: the completion cleared size and priority, so the read "
                        + "decompresses slot 0's object with size 0"));
        all.add(of(Defect.SCAN_IGNORES_MODE, Design.BATCHED, 2, 4, 1, 0,
                m -> {
                    m.zram.zramBioWrite(0, Zram.PageKind.HUGE);
                    write(m, 1);
                },
                "wb-task", writeback("type=huge"),
                null, null, new Probe("select", "wb-task"),
                "type=huge, slot 0 stored whole and slot 1 not: the scan without its mode tests "
                        + "places slot 1 too"));
        all.add(of(Defect.WB_KEEPS_HUGE_COUNT, Design.BATCHED, 2, 4, 1, 0,
                m -> m.zram.zramBioWrite(0, Zram.PageKind.HUGE),
                "wb-task", writeback("type=huge"),
                null, null, null,
                "type=huge: the completion keeps ZRAM_HUGE and forgets huge_pages, which then "
                        + "counts a page that is on the device"));
        all.add(of(Defect.WB_DROPS_PAGES_STORED, Design.BATCHED, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, null,
                "the completion drops pages_stored as slot_free() did; the page is still stored"));
        all.add(of(Defect.ZS_READ_UNLOCKED, Design.SINGLE, 2, 4, 1, 0,
                m -> write(m, 0),
                "reader", m -> m.zram.zramBioRead(0),
                "discard", m -> m.zram.zramBioDiscard(0), null,
                "slot 0 is in memory; it is freed after the reader took its zsmalloc handle and "
                        + "dropped the slot lock, so the reader maps a freed handle"));
        all.add(of(Defect.READ_UNCHAINED, Design.SINGLE, 2, 4, 1, 0,
                m -> {
                    m.zram.setAsyncRead(AsyncRead.CHAINED);
                    write(m, 0);
                    m.wb.writebackStore("page_index=0");
                },
                "reader", m -> m.zram.zramBioRead(0),
                null, null, null,
                "slot 0 is on the device; the asynchronous read's child bio is not chained to the "
                        + "parent, which completes before the device read lands in its page"));
        all.add(of(Defect.LOST_WAKEUP, Design.BATCHED, 2, 4, 1, 0,
                m -> write(m, 0),
                "wb-task", writeback("page_index=0"),
                null, null, null,
                "the endio wakes the task before it publishes the request; a task that tested "
                        + "the list in between sleeps for ever"));
        return all;
    }

    /**
     * REQ_POOL_UAF, WB_CTL_UAF and COMPLETION_REINIT started from the state just before their
     * race ({@link Prefix}), each reached on the schedule of its TLC counterexample's prefix;
     * the model checker then explores only the last racing steps. Searched in stress-long
     * next to the scenarios of {@link #all()}, which start at the beginning of writeback.
     */
    public static List<Scenario> startingJustBeforeTheRace() {
        return List.of(
                of(Defect.REQ_POOL_UAF)
                .startingAt(Prefix.of(Set.of("drainCount", "drainTest"), Set.of("endioComplete"),
                        // ./zwb trace multipage/req-pool-uaf: the last bio (bio[1], submitted at
                        // step 18) stays in the device while the task steps alone to the drain
                        // (drainTest, step 31); the device ends it and the endio clears ALLOCATED
                        // (34-36), stopping before complete(); from there the drain's test,
                        // release and kfree(req_pool) (37-41) race the late complete() (42).
                        // Here one page: the one bio is that last bio, and the task's first
                        // drain label (drainCount in the fixed code, which counts completions
                        // before the drain loop) is where the interrupt arrives.
                        "multipage/req-pool-uaf steps 1-31 (the task alone, bio[1] held) and "
                                + "34-36 (the endio up to endioComplete)"))
                .withIrqs(1),
                of(Defect.WB_CTL_UAF)
                .startingAt(Prefix.of(Set.of("drainWait"), Set.of("endioWakeUp"),
                        // ./zwb trace batched/wb-ctl-uaf: steps 2-15 are the task's alone, up to
                        // drainWait with the bio in flight; the endio puts the request on
                        // done_reqs (endioLock, step 16) and stops before wake_up(); from there
                        // the task's reaping, drain and kfree(wb_ctl) (17-22) race the wake-up.
                        "batched/wb-ctl-uaf steps 1-16 (the task alone to drainWait, then the "
                                + "endio's endioLock)"))
                .withIrqs(1),
                of(Defect.COMPLETION_REINIT)
                .startingAt(new Prefix(List.of(
                        new Prefix.Stop(Prefix.Side.TASK, Set.of("waitDone")),
                        new Prefix.Stop(Prefix.Side.ENDIO, Set.of("endioComplete", "endioWakeUp")),
                        new Prefix.Stop(Prefix.Side.TASK, Set.of("drainWait"))),
                        // ./zwb trace batched/completion-reinit: steps 2-15 are the task's alone,
                        // bio 1 in flight while it selects the second slot; the first endio
                        // drops num_inflight to 0 (endioDec, step 16) and stops before
                        // complete(); the task alone submits bio 2 and reaches the drain (17-21);
                        // the late complete() (22) then races the drain's wait. Here the batch is
                        // one request, so the task's first wait (waitDone, for a free request)
                        // is where bio 1's interrupt arrives; irq-1 stops before complete()
                        // (endioComplete; the fixed code publishes on done_reqs instead and stops
                        // before its wake_up(): endioWakeUp); the task goes on alone to drainWait
                        // (reading num_inflight 0 and skipping the wait, in v2-v4); there irq-2
                        // starts, for bio 2.
                        "batched/completion-reinit steps 1-21 (the task alone to its first wait, "
                                + "the first endio's endioDec, the task alone to drainWait)")));
    }

    /** The scenario of {@code defect}. */
    public static Scenario of(Defect defect) {
        return all().stream().filter(s -> s.defect == defect).findFirst().orElseThrow();
    }
}
