package dev.zwb.kernel;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * wait_queue_head_t with wait_event() and wake_up().
 *
 * <p>Implementation notes. The queue's spin lock is a {@link ReentrantLock}; sleepers wait on one
 * condition of it. {@link #waitEvent} tests the condition once without the lock (as wait_event()
 * does before touching the queue), then under the lock before each sleep; {@link #wakeUp} takes
 * the lock and wakes every sleeper, who tests again. A waker that makes the condition true and
 * then calls wakeUp() can therefore never be missed; a waker that forgets wakeUp() leaves the
 * sleeper asleep: a missing publication shows as a hang (or, with a hung-task timeout, as a
 * HUNG_TASK report), never as a crash.
 *
 * <p>The queue lives inside its owner's memory: waiting and waking touch the owner, so a
 * wake_up() on a freed struct is a use-after-free report.
 */
public final class WaitQueue {

    private final KObject owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by lock: how many wake_up() calls so far. */
    private long wakeups;

    /** init_waitqueue_head(), embedded in {@code owner}. */
    public WaitQueue(KObject owner) {
        this.owner = owner;
    }

    /** wait_event(wq, condition): sleeps (uninterruptibly) until the condition holds. */
    public void waitEvent(BooleanSupplier condition) {
        if (condition.getAsBoolean()) {
            return;
        }
        owner.touch("wait_event");
        lock.lock();
        try {
            Sched.sleepUntil(lock, wake, condition, owner.kernel(), "wait_event on " + owner.name());
        } finally {
            lock.unlock();
        }
    }

    /**
     * wait_event() with the spec's two labels: {@code checkLabel} before every test of the
     * condition (prepare_to_wait and the test are one step), {@code sleepLabel} when the task
     * runs again after a wake_up() took it off the queue. The sleep ends on a wake_up() only: a
     * wake_up() that came before the task slept is lost, as in the kernel (with a hung-task
     * timeout the task is then reported and killed, never left hanging).
     */
    public void waitEvent(BooleanSupplier condition, String checkLabel, String sleepLabel) {
        Kernel kernel = owner.kernel();
        kernel.at(checkLabel);
        while (!condition.getAsBoolean()) {
            owner.touch("wait_event");
            lock.lock();
            try {
                if (!condition.getAsBoolean()) {
                    long seen = wakeups;
                    Sched.sleepUntil(lock, wake, () -> wakeups != seen, condition, kernel,
                            "wait_event on " + owner.name());
                }
            } finally {
                lock.unlock();
            }
            kernel.at(sleepLabel);
            kernel.at(checkLabel);
        }
    }

    /**
     * wait_event_timeout(): like {@link #waitEvent} but gives up after {@code timeout}; returns
     * whether the condition held. For tests that want a lost wake-up reported, not hung for ever.
     */
    public boolean waitEventTimeout(BooleanSupplier condition, Duration timeout) {
        if (condition.getAsBoolean()) {
            return true;
        }
        owner.touch("wait_event_timeout");
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (!condition.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wake.await(left, TimeUnit.NANOSECONDS);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Oops("task killed in wait_event_timeout on " + owner.name());
        } finally {
            lock.unlock();
        }
    }

    /** wake_up(): wakes every sleeper, who then tests its condition again. */
    public void wakeUp() {
        owner.touch("wake_up");
        lock.lock();
        try {
            wakeups++;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
