package dev.zwb.stress;

import dev.zwb.bdev.BackingDevice;

/**
 * Completes a held bio on the calling thread: the device's transfer, bi_status, then bi_end_io,
 * exactly what {@link BackingDevice#completeNext()} runs, but without starting an IRQ thread.
 *
 * <p>Why: the harnesses want the bio completion to be one actor that they schedule (Lincheck) or
 * race against the task on a CPU of its own (JCStress). {@code completeNext()} starts a fresh
 * thread and joins it with a 10 s timeout; Lincheck does not model a timed join (it returns at
 * once and the join reports "did not return"), and under JCStress a thread start per sample
 * blurs the timing of the race. {@link BackingDevice#completeNextInline(int)} is the device's
 * inline variant.
 */
public final class InlineCompletion {

    private InlineCompletion() {
    }

    /**
     * Takes the oldest held bio and completes it with {@code status} on this thread. Returns
     * false (and does nothing) if the device holds none.
     */
    public static boolean completeNext(BackingDevice bdev, int status) {
        return bdev.completeNextInline(status);
    }
}
