package dev.zwb.sched;

import dev.zwb.kernel.Step;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A deterministic scheduler built on the step hook: a test arms {@link Pause}s at spec labels,
 * starts its threads, waits for a thread to arrive at a pause, does something else, then
 * releases it. Labels no pause is armed for pass freely. This is how the tests force the
 * interleavings of a counterexample without sleeping.
 *
 * <p>A pause matches the first thread that reaches its label (optionally: whose name starts with
 * a prefix, and after skipping a number of earlier matches); it fires once. Pauses are matched in
 * the order they were armed.
 *
 * <p>Implementation notes. The armed list is guarded by {@code this}; a thread parks outside the
 * lock, on its pause's latch. A parked thread gives up after {@link #PARK_LIMIT} (a test that
 * forgot to release it) and goes on, recording that it was abandoned.
 */
public final class StepGate implements Step {

    /** How long a thread stays parked at most. */
    public static final Duration PARK_LIMIT = Duration.ofSeconds(20);
    /** How long {@link Pause#awaitArrival()} waits. */
    public static final Duration ARRIVAL_LIMIT = Duration.ofSeconds(10);

    /** One armed stop at a label. */
    public static final class Pause {
        private final String label;
        private final String threadPrefix;
        private int skip;
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);
        private volatile Thread thread;
        private volatile boolean abandoned;

        private Pause(String label, String threadPrefix, int skip) {
            this.label = label;
            this.threadPrefix = threadPrefix;
            this.skip = skip;
        }

        private boolean matches(String at) {
            return label.equals(at)
                    && (threadPrefix == null || Thread.currentThread().getName().startsWith(threadPrefix));
        }

        private void park() {
            thread = Thread.currentThread();
            arrived.countDown();
            try {
                if (!released.await(PARK_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    abandoned = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Waits until a thread is parked here; fails (AssertionError) if none comes. */
        public Pause awaitArrival() {
            try {
                if (!arrived.await(ARRIVAL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new AssertionError("no thread reached label " + label);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for label " + label);
            }
            return this;
        }

        /** Whether a thread has arrived. */
        public boolean arrived() {
            return arrived.getCount() == 0;
        }

        /** Lets the parked thread (or the next to arrive) go on. */
        public void release() {
            released.countDown();
        }

        /** The thread that parked here, or null. */
        public Thread thread() {
            return thread;
        }

        /** Whether the parked thread gave up waiting for a release. */
        public boolean abandoned() {
            return abandoned;
        }

        public String label() {
            return label;
        }
    }

    private final List<Pause> armed = new ArrayList<>();

    /** Stops the first thread that reaches {@code label}. */
    public Pause pauseAt(String label) {
        return pauseAt(label, null, 0);
    }

    /** Stops the first thread whose name starts with {@code threadPrefix} at {@code label}. */
    public Pause pauseAt(String label, String threadPrefix) {
        return pauseAt(label, threadPrefix, 0);
    }

    /**
     * Stops at {@code label} the first matching thread after {@code skip} earlier matches have
     * passed ({@code threadPrefix} null: any thread).
     */
    public synchronized Pause pauseAt(String label, String threadPrefix, int skip) {
        Pause p = new Pause(label, threadPrefix, skip);
        armed.add(p);
        return p;
    }

    /** Releases every pause, armed or parked (for tear-down). */
    public synchronized void releaseAll() {
        armed.forEach(Pause::release);
        armed.clear();
    }

    @Override
    public void at(String label) {
        Pause hit = null;
        synchronized (this) {
            for (Pause p : armed) {
                if (p.matches(label)) {
                    if (p.skip > 0) {
                        p.skip--;
                        return;
                    }
                    hit = p;
                    break;
                }
            }
            if (hit != null) {
                armed.remove(hit);
            }
        }
        if (hit != null) {
            hit.park();
        }
    }
}
