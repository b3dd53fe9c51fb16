package dev.zwb.stress;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Kernel;
import dev.zwb.writeback.Batched;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.MultiPage;
import dev.zwb.writeback.SinglePage;
import dev.zwb.writeback.Variant;
import dev.zwb.writeback.Writeback;
import dev.zwb.zram.Zram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * One modelled machine for a harness: a kernel, a held backing device, a zram device and one
 * writeback design. Unlike the model's test rig it has no step gate: the harness (Lincheck's
 * scheduler, or the hardware under JCStress) chooses the interleaving.
 *
 * <p>The kernel's hung-task timeout stays 0 (sleep for ever, as the kernel does): Lincheck
 * reports a sleep nobody ends as a hang, and JCStress scenarios never leave one.
 */
public final class Machine {

    public final Kernel kernel = new Kernel();
    public final BackingDevice bdev;
    public final Zram zram;
    public final Writeback wb;
    /** The actors whose sleeps the wait-graph check looks at (set before they start). */
    private volatile List<Thread> actors = List.of();
    /** Bumped (under the device's monitor) whenever a task of this kernel goes to sleep. */
    private long sleeps;
    /** Endios running on a completion thread now. */
    private final AtomicInteger endiosRunning = new AtomicInteger();
    /** What the wait-graph check found: the blocked state, or null. */
    private volatile String blocked;

    /**
     * {@code nrSlots} slots, {@code nrBlocks} held device blocks, {@code batch} requests (the
     * multipage pool, or batched's wb_batch_size; single has none).
     */
    public Machine(Variant variant, int nrSlots, int nrBlocks, int batch) {
        bdev = BackingDevice.held(nrBlocks);
        zram = new Zram(kernel, nrSlots, bdev);
        wb = switch (variant.design()) {
            case SINGLE -> new SinglePage(zram, variant);
            case MULTIPAGE -> new MultiPage(zram, variant, batch);
            case BATCHED -> new Batched(zram, variant, batch);
        };
        kernel.setSleepHook(() -> {
            synchronized (bdev) {
                sleeps++;
                bdev.notifyAll();
            }
        });
    }

    /** The actor threads (task, environment) the wait-graph check looks at. */
    public void watch(List<Thread> actorThreads) {
        actors = List.copyOf(actorThreads);
    }

    /**
     * The wait graph, read by an idle completion thread: every actor has finished or sleeps in
     * a primitive of the kernel with its condition false, the device holds no bio and no endio
     * is running. Nothing is left to wake anyone: the sleepers are blocked for ever. Returns
     * the blocked state, or null.
     */
    private String blockedForEver() {
        if (endiosRunning.get() != 0 || bdev.pendingCount() != 0) {
            return null;
        }
        List<String> asleep = new ArrayList<>();
        for (Thread t : actors) {
            if (t.getState() == Thread.State.TERMINATED) {
                continue;
            }
            if (!kernel.sleeping(t)) {
                return null;
            }
            asleep.add(t.getName() + " asleep in " + kernel.sleepingIn(t));
        }
        if (asleep.isEmpty()) {
            return null;
        }
        return String.join(", ", asleep) + ", with no bio in the device, no endio running and "
                + "every other actor finished or asleep: nothing is left to wake it";
    }

    /** The blocked state the wait-graph check found (null: none); its sleepers were killed. */
    public String blocked() {
        return blocked;
    }

    /**
     * The bio completion as one thread: whenever the device holds a bio, completes the oldest on
     * this thread (transfer, status, end_io; see {@link dev.zwb.bdev.BackingDevice#completeNextInline}); returns once
     * {@code othersDone} holds and the device holds nothing. Every bio ends with {@code status}
     * (0, or a negative errno). It sleeps on the device's monitor,
     * which submit_bio() notifies; an actor that finishes must call {@link #actorDone()} so that
     * it wakes and re-tests {@code othersDone}. No spinning: a model checker sees a sleeping
     * thread, not a loop.
     */
    public void completeUntil(BooleanSupplier othersDone, int status) {
        while (completeOne(othersDone, status)) {
            // next bio
        }
    }

    /**
     * One interrupt: sleeps on the device's monitor until it holds a bio, completes the oldest
     * on this thread (outside the monitor, so a submitter is never held up by an endio) and
     * returns true; returns false, completing nothing, once {@code othersDone}
     * holds and the device holds nothing.
     */
    public boolean completeOne(BooleanSupplier othersDone, int status) {
        for (;;) {
            long seen;
            synchronized (bdev) {
                if (bdev.pendingCount() == 0 && othersDone.getAsBoolean()) {
                    return false;
                }
                seen = sleeps;
            }
            if (bdev.pendingCount() == 0) {
                // Idle: test the wait graph (outside the device's monitor: it takes the
                // sleepers' locks), then sleep until a bio, the end, or another task's sleep.
                String found = blockedForEver();
                if (found != null) {
                    blocked = found;
                    actors.forEach(kernel::kill);
                    return false;
                }
                synchronized (bdev) {
                    while (bdev.pendingCount() == 0 && !othersDone.getAsBoolean() && sleeps == seen) {
                        try {
                            bdev.wait();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                }
                continue;
            }
            endiosRunning.incrementAndGet();
            try {
                if (bdev.completeNextInline(status)) {
                    return true;
                }
            } finally {
                endiosRunning.decrementAndGet();
            }
            // another interrupt took the bio between the test and the take: wait again
        }
    }

    /** An actor other than the completion has finished: wake the completion to re-test. */
    public void actorDone() {
        synchronized (bdev) {
            bdev.notifyAll();
        }
    }

    /**
     * Every invariant now: the state invariants, the kernel log (WARNING, LOCKDEP, HUNG_TASK), the
     * leak check once writeback has returned, and any exception an endio threw (a crash in
     * interrupt context: reported as NoKernelWarning).
     */
    public List<Violation> violations() {
        List<Violation> all = new ArrayList<>(Invariants.check(zram, wb));
        String b = blocked;
        if (b != null) {
            all.add(new Violation(Invariant.WritebackReturns, b));
        }
        for (Throwable t : bdev.endioFailures()) {
            all.add(new Violation(Invariant.NoKernelWarning, "an endio threw " + t));
        }
        return all;
    }

    /** The violations, now, of the invariant {@code defect} breaks ({@link Defect#breaks()}). */
    public List<Violation> violationsOf(Defect defect) {
        Invariant inv = Invariant.valueOf(defect.breaks());
        return violations().stream().filter(v -> v.invariant() == inv).toList();
    }

    /**
     * What a JCStress arbiter reports for {@code defect}: 1 if its invariant is broken now, else
     * 2 if any other invariant is (or an endio threw), else 0. Every arbiter checks everything.
     */
    public int verdictOf(Defect defect) {
        List<Violation> all = violations();
        Invariant inv = Invariant.valueOf(defect.breaks());
        if (all.stream().anyMatch(v -> v.invariant() == inv)) {
            return 1;
        }
        return all.isEmpty() ? 0 : 2;
    }
}
