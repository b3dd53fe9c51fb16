package dev.zwb;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Kernel;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.sched.StepLog;
import dev.zwb.writeback.Batched;
import dev.zwb.writeback.MultiPage;
import dev.zwb.writeback.SinglePage;
import dev.zwb.writeback.Variant;
import dev.zwb.writeback.Writeback;
import dev.zwb.zram.Zram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A test rig: one kernel, a held backing device, a zram device, one writeback design, a step
 * gate and a step log, and the actors a test starts. Closing it releases every pause, lets every
 * held bio complete, and waits for the actors, so no thread outlives its test.
 */
public final class Rig implements AutoCloseable {

    /** The hung-task timeout of test kernels: a lost wake-up is a report, not a hang. */
    public static final Duration HUNG = Duration.ofSeconds(5);

    public final Kernel kernel = new Kernel();
    public final StepGate gate = new StepGate();
    public final StepLog log = new StepLog();
    public final BackingDevice bdev;
    public final Zram zram;
    public final Writeback wb;
    private final List<Actor<?>> actors = new ArrayList<>();

    /** {@code nrSlots} slots, {@code nrBlocks} held device blocks, {@code batch} requests. */
    public Rig(Variant variant, int nrSlots, int nrBlocks, int batch) {
        this(variant, nrSlots, BackingDevice.held(nrBlocks), batch);
    }

    /** {@code nrSlots} slots on {@code bdev}, {@code batch} requests. */
    public Rig(Variant variant, int nrSlots, BackingDevice bdev, int batch) {
        kernel.setHungTaskTimeout(HUNG);
        kernel.setStep(log.andThen(gate));
        this.bdev = bdev;
        zram = new Zram(kernel, nrSlots, bdev);
        wb = switch (variant.design()) {
            case SINGLE -> new SinglePage(zram, variant);
            case MULTIPAGE -> new MultiPage(zram, variant, batch);
            case BATCHED -> new Batched(zram, variant, batch);
        };
    }

    /** 4 slots, 8 blocks, 32 requests. */
    public Rig(Variant variant) {
        this(variant, 4, 8, 32);
    }

    /** Starts writeback_store({@code args}) on the thread "wb-task". */
    public Actor<Integer> writeback(String args) {
        return track(Actor.start("wb-task", () -> wb.writebackStore(args)));
    }

    /** Starts writeback_store({@code args}) {@code runs} times in a row on the thread "wb-task". */
    public Actor<Integer> writebackRuns(String args, int runs) {
        return track(Actor.start("wb-task", () -> wb.writebackStoreRuns(args, runs)));
    }

    /** Starts a read of {@code slot} on the thread "reader". */
    public Actor<Content> read(int slot) {
        return track(Actor.start("reader", () -> zram.zramBioRead(slot)));
    }

    /** Any other actor. */
    public <T> Actor<T> track(Actor<T> actor) {
        actors.add(actor);
        return actor;
    }

    /** Waits until {@code actor} has finished or sleeps in a kernel primitive. */
    public void settle(Actor<?> actor) {
        settle(kernel, actor);
    }

    /**
     * Waits until {@code actor} has finished or is asleep in a primitive of {@code kernel}: it has
     * run as far as it can without another thread. Polls a definite state; never sleeps blindly.
     */
    public static void settle(Kernel kernel, Actor<?> actor) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!actor.returnedWithin(Duration.ZERO) && !kernel.sleeping(actor.thread())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(actor.name() + " neither finished nor slept");
            }
            Thread.onSpinWait();
        }
    }

    /** Runs a writeback to its end with {@link #finish}. Returns writeback_store()'s result. */
    public int runWriteback(String args) {
        return finish(writeback(args));
    }

    /**
     * Lets {@code actor} run to its end: whenever it blocks, completes the oldest held bio (its
     * end_io returning before anything else happens). Returns the actor's result.
     */
    public <T> T finish(Actor<T> actor) {
        for (;;) {
            settle(actor);
            if (actor.returnedWithin(Duration.ZERO)) {
                return actor.join();
            }
            bdev.awaitPending(1);
            bdev.completeNext().join();
        }
    }

    /** What {@link #endioStallsAtItsLastStep} leaves: the task, and the bios held meanwhile. */
    public record Stall(Actor<Integer> task, int heldWhileStalled) {
    }

    /**
     * The pattern of the completion use-after-frees: writeback({@code args}) is parked at
     * {@code taskLabel}; the oldest bio completes and its end_io is parked at {@code endioLabel},
     * its last step; the task runs as far as it can (to its end, or until it sleeps); then the
     * end_io finishes. Returns the task and how many bios the device held while the end_io was
     * stalled.
     */
    public Stall endioStallsAtItsLastStep(String args, String taskLabel, String endioLabel) {
        StepGate.Pause parked = gate.pauseAt(taskLabel, "wb-task");
        StepGate.Pause endio = gate.pauseAt(endioLabel, "irq-");
        Actor<Integer> task = writeback(args);
        parked.awaitArrival();
        bdev.awaitPending(1);
        BackingDevice.Irq irq = bdev.completeNext();
        endio.awaitArrival();
        parked.release();
        settle(task);
        int held = bdev.pendingCount();
        endio.release();
        irq.join();
        return new Stall(task, held);
    }

    /** Writes {@code slot} and returns the version. */
    public long write(int slot) {
        return zram.zramBioWrite(slot);
    }

    /** Every state invariant now. */
    public List<Violation> violations() {
        return Invariants.check(zram, wb);
    }

    /** The invariants broken now. */
    public Set<Invariant> broken() {
        return Invariants.broken(violations());
    }

    @Override
    public void close() {
        gate.releaseAll();
        bdev.autoComplete();
        for (Actor<?> a : actors) {
            if (!a.returnedWithin(Duration.ofSeconds(5))) {
                a.kill();
            }
        }
        bdev.close();
    }
}
