package dev.zwb.sched;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One concurrent actor of a test (the writeback task, a reader, a writer): a named daemon
 * thread running one call. {@link #join()} waits with a limit, so a test that hangs the model
 * fails instead of hanging; {@link #returnedWithin} is the liveness probe.
 *
 * @param <T> what the call returns
 */
public final class Actor<T> {

    /** How long {@link #join()} waits. */
    public static final Duration JOIN_LIMIT = Duration.ofSeconds(10);

    private final Thread thread;
    private final AtomicReference<T> result = new AtomicReference<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Actor(String name, Callable<T> body) {
        this.thread = new Thread(() -> {
            try {
                result.set(body.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        }, name);
        this.thread.setDaemon(true);
    }

    /** Starts {@code body} on a new thread named {@code name}. */
    public static <T> Actor<T> start(String name, Callable<T> body) {
        Actor<T> a = new Actor<>(name, body);
        a.thread.start();
        return a;
    }

    /** Starts a call that returns nothing. */
    public static Actor<Void> run(String name, Runnable body) {
        return start(name, () -> {
            body.run();
            return null;
        });
    }

    /** Whether the call returned (or threw) within {@code timeout}. */
    public boolean returnedWithin(Duration timeout) {
        if (timeout.toMillis() <= 0) {
            return !thread.isAlive(); // Thread.join(0) would wait for ever
        }
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    /** Waits for the call; fails if it does not return in time or threw. Returns its result. */
    public T join() {
        if (!returnedWithin(JOIN_LIMIT)) {
            throw new AssertionError(thread.getName() + " did not return within " + JOIN_LIMIT);
        }
        Throwable t = failure.get();
        if (t != null) {
            throw new AssertionError(thread.getName() + " failed: " + t, t);
        }
        return result.get();
    }

    /** What the call threw, if it has finished by throwing. */
    public Throwable failure() {
        return failure.get();
    }

    /** Interrupts the thread (an {@code Oops} unwinds a model thread that sleeps). */
    public void kill() {
        thread.interrupt();
    }

    public String name() {
        return thread.getName();
    }

    /** The actor's thread. */
    public Thread thread() {
        return thread;
    }
}
