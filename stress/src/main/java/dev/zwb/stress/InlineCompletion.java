package dev.zwb.stress;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.bdev.Bio;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayDeque;

/**
 * Completes a held bio on the calling thread: the device's transfer, bi_status, then bi_end_io,
 * exactly what {@link BackingDevice#completeNext()} runs, but without starting an IRQ thread.
 *
 * <p>Why: the harnesses want the bio completion to be one actor that they schedule (Lincheck) or
 * race against the task on a CPU of its own (JCStress). {@code completeNext()} starts a fresh
 * thread and joins it with a 10 s timeout; Lincheck does not model a timed join (it returns at
 * once and the join reports "did not return"), and under JCStress a thread start per sample
 * blurs the timing of the race. The model has no public inline variant, so this adapter calls
 * the device's private {@code transferAndEndIo(Bio, int)} and takes the bio off its private
 * {@code pending} queue under the device's monitor, as {@code completeNext()} does. If the model
 * renames either, {@link #check()} fails loudly (the JUnit suite calls it first).
 */
public final class InlineCompletion {

    private static final Field PENDING;
    private static final Method TRANSFER_AND_END_IO;
    private static final Throwable BROKEN;

    static {
        Field pending = null;
        Method transfer = null;
        Throwable broken = null;
        try {
            pending = BackingDevice.class.getDeclaredField("pending");
            pending.setAccessible(true);
            transfer = BackingDevice.class.getDeclaredMethod("transferAndEndIo", Bio.class, int.class);
            transfer.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            broken = e;
        }
        PENDING = pending;
        TRANSFER_AND_END_IO = transfer;
        BROKEN = broken;
    }

    private InlineCompletion() {
    }

    /** Fails if the model's BackingDevice no longer has what this adapter calls. */
    public static void check() {
        if (BROKEN != null) {
            throw new IllegalStateException("dev.zwb.bdev.BackingDevice changed: update "
                    + InlineCompletion.class.getName(), BROKEN);
        }
    }

    /**
     * Takes the oldest held bio and completes it with {@code status} on this thread. Returns
     * false (and does nothing) if the device holds none.
     */
    public static boolean completeNext(BackingDevice bdev, int status) {
        check();
        Bio bio;
        synchronized (bdev) {
            bio = pending(bdev).pollFirst();
        }
        if (bio == null) {
            return false;
        }
        try {
            TRANSFER_AND_END_IO.invoke(bdev, bio, status);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause();
            if (t instanceof RuntimeException r) {
                throw r;
            }
            if (t instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(t);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static ArrayDeque<Bio> pending(BackingDevice bdev) {
        try {
            return (ArrayDeque<Bio>) PENDING.get(bdev);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
