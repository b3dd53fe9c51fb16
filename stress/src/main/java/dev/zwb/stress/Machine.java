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

import java.util.List;
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
            synchronized (bdev) {
                while (bdev.pendingCount() == 0 && !othersDone.getAsBoolean()) {
                    try {
                        bdev.wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                }
                if (bdev.pendingCount() == 0) {
                    return false;
                }
            }
            if (bdev.completeNextInline(status)) {
                return true;
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

    /** Every state invariant now. */
    public List<Violation> violations() {
        return Invariants.check(zram, wb);
    }

    /** The violations, now, of the invariant {@code defect} breaks ({@link Defect#breaks()}). */
    public List<Violation> violationsOf(Defect defect) {
        Invariant inv = Invariant.valueOf(defect.breaks());
        return violations().stream().filter(v -> v.invariant() == inv).toList();
    }
}
