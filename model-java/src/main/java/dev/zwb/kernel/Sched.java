package dev.zwb.kernel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * schedule(): how every sleeping primitive of the model sleeps. One place, so that all of them
 * flush the task's block plug before sleeping (sched_submit_work()), honour the hung-task
 * timeout, and turn an interrupt (a test killing a stuck thread) into an {@link Oops}.
 */
final class Sched {

    private Sched() {
    }

    /**
     * Sleeps on {@code wake} until {@code ready} holds. The caller holds {@code lock}, the lock of
     * {@code wake}, and tests {@code ready} under it, so a waker that publishes the condition and
     * then signals under the same lock cannot be missed (prepare_to_wait() + schedule()).
     *
     * <p>Before the first sleep the lock is dropped to flush the current task's {@link BlkPlug},
     * as schedule() does; the condition is tested again afterwards.
     *
     * <p>With a hung-task timeout set: if the time runs out and the condition now holds, nobody
     * woke the task (a lost wake-up): that is reported and the task goes on. If the condition does
     * not hold, the task is hung: reported, and killed with an {@link Oops}.
     */
    static void sleepUntil(ReentrantLock lock, Condition wake, BooleanSupplier ready,
                           Kernel kernel, String what) {
        sleepUntil(lock, wake, ready, ready, kernel, what);
    }

    /**
     * As above, but the sleep ends on {@code ready} while a hung sleep is diagnosed with
     * {@code published}: a task that waits for a wake-up (not for a condition) and times out
     * while the condition it waits for holds has lost its wake-up; it is reported and killed,
     * because in the kernel it would sleep for ever.
     */
    static void sleepUntil(ReentrantLock lock, Condition wake, BooleanSupplier ready,
                           BooleanSupplier published, Kernel kernel, String what) {
        if (ready.getAsBoolean()) {
            return;
        }
        lock.unlock();
        try {
            BlkPlug.schedSubmitWork();
        } finally {
            lock.lock();
        }
        long limit = kernel.hungTaskTimeoutNanos();
        long deadline = System.nanoTime() + limit;
        kernel.sleeps(what, lock, wake, ready);
        try {
            while (!ready.getAsBoolean()) {
                if (kernel.killedCurrent()) {
                    throw new Oops("task killed while sleeping in " + what + " (blocked for ever)");
                }
                if (limit <= 0) {
                    wake.await();
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !wake.await(left, TimeUnit.NANOSECONDS)) {
                    hung(ready, published, kernel, what);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Oops("task killed while sleeping in " + what);
        } finally {
            kernel.wakes(); // still under lock: an observer never sees a stale entry
        }
    }

    private static void hung(BooleanSupplier ready, BooleanSupplier published, Kernel kernel,
                             String what) {
        if (ready.getAsBoolean()) {
            kernel.kasan.report(Kasan.Kind.HUNG_TASK, what, "sleep",
                    "lost wake-up: the condition holds but nobody woke the task");
            return;
        }
        if (published.getAsBoolean()) {
            kernel.kasan.report(Kasan.Kind.HUNG_TASK, what, "sleep",
                    "lost wake-up: the condition holds but the wake-up came before the sleep");
            throw new Oops("hung task (lost wake-up) in " + what);
        }
        kernel.kasan.report(Kasan.Kind.HUNG_TASK, what, "sleep",
                "hung: the condition never became true");
        throw new Oops("hung task in " + what);
    }
}
