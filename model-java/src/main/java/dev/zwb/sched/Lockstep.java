package dev.zwb.sched;

import dev.zwb.kernel.Step;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A scheduler that runs the model one spec step at a time: every model thread parks at every
 * label it reaches, and the driver lets exactly one parked thread take its step, waiting until
 * that thread parks at its next label, finishes, or sleeps in a kernel primitive. This is how a
 * TLC trace is replayed: process = thread, step = the code from one label to the next.
 *
 * <p>Threads in {@code unmanaged} (the driver) pass labels freely.
 *
 * <p>Implementation notes. The maps are guarded by {@code this}; a parked thread waits on
 * {@code this}. Whether a running thread sleeps cannot be signalled, so the driver polls it with
 * short timed waits. {@link #releaseAll()} lets every thread run free (tear-down).
 */
public final class Lockstep implements Step {

    /** How long a step may take before the driver gives up on it. */
    public static final Duration STEP_LIMIT = Duration.ofSeconds(10);

    /** How a step ended. */
    public enum Stop {
        /** The thread reached its next label and parked there. */
        PARKED,
        /** The thread returned (or died). */
        FINISHED,
        /** The thread sleeps in a kernel primitive and cannot go on by itself. */
        ASLEEP
    }

    private final Set<Thread> unmanaged;
    private final Predicate<Thread> asleep;
    private final Map<Thread, String> parked = new HashMap<>();
    private final Map<Thread, Long> arrivals = new HashMap<>();
    private final Set<Thread> granted = new HashSet<>();
    /** The label each thread took its step from, until it parks again (a thread asleep mid-step). */
    private final Map<Thread, String> stepping = new HashMap<>();
    private boolean free;

    /**
     * @param asleep    whether a thread sleeps in a kernel primitive ({@code Kernel::sleeping})
     * @param unmanaged threads that never park (the driver)
     */
    public Lockstep(Predicate<Thread> asleep, Set<Thread> unmanaged) {
        this.asleep = asleep;
        this.unmanaged = Set.copyOf(unmanaged);
    }

    @Override
    public void at(String label) {
        Thread me = Thread.currentThread();
        if (unmanaged.contains(me)) {
            return;
        }
        synchronized (this) {
            if (free) {
                return;
            }
            parked.put(me, label);
            stepping.remove(me);
            arrivals.merge(me, 1L, Long::sum);
            notifyAll();
            while (!granted.remove(me) && !free) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            parked.remove(me);
        }
    }

    /** The label {@code t} is parked at, or null. */
    public synchronized String parkedAt(Thread t) {
        return parked.get(t);
    }

    /**
     * The label of the step {@code t} is taking: set when it is let go from a label, cleared when
     * it parks at the next one; null while it is parked or before its first step. A thread asleep
     * mid-step (on a lock another holds) is still at this label as the spec sees it.
     */
    public synchronized String steppingFrom(Thread t) {
        return stepping.get(t);
    }

    /** Waits until {@code t} parks, finishes or sleeps. */
    public Stop settle(Thread t) {
        return awaitStop(t, -1);
    }

    /**
     * Lets {@code t}, parked at a label, take its step; returns how the step ended.
     * {@code onAsleep} runs whenever the thread sleeps mid-step (it may wake it, e.g. by
     * completing the bio it waits for) and returns false to end the step there.
     */
    public Stop step(Thread t, Predicate<Thread> onAsleep) {
        long before;
        synchronized (this) {
            if (!parked.containsKey(t)) {
                throw new IllegalStateException(t.getName() + " is not parked at a label");
            }
            before = arrivals.getOrDefault(t, 0L);
            stepping.put(t, parked.get(t));
            granted.add(t);
            notifyAll();
        }
        for (;;) {
            Stop s = awaitStop(t, before);
            if (s != Stop.ASLEEP || !onAsleep.test(t)) {
                return s;
            }
        }
    }

    private Stop awaitStop(Thread t, long before) {
        long deadline = System.nanoTime() + STEP_LIMIT.toNanos();
        for (;;) {
            boolean running;
            synchronized (this) {
                if (parked.containsKey(t) && arrivals.getOrDefault(t, 0L) > before && !granted.contains(t)) {
                    return Stop.PARKED;
                }
                running = !granted.contains(t) && !parked.containsKey(t);
            }
            if (!t.isAlive()) {
                return Stop.FINISHED;
            }
            // outside the monitor: the sleep test takes the primitive's lock
            if (running && asleep.test(t)) {
                return Stop.ASLEEP;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(t.getName() + " neither reached a label, nor returned, nor slept within "
                        + STEP_LIMIT.toSeconds() + " s");
            }
            synchronized (this) {
                try {
                    wait(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted");
                }
            }
        }
    }

    /** Lets every thread run free from now on (tear-down). */
    public synchronized void releaseAll() {
        free = true;
        notifyAll();
    }
}
