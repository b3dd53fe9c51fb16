package dev.zwb.kernel;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The machine that one modelled zram device runs on: its debug log ({@link Kasan}), its RCU, the
 * step hook, and the hung-task timeout. Every {@link KObject} belongs to one kernel, and every
 * primitive embedded in an object reaches the kernel through it.
 *
 * <p>Implementation notes. {@code step} and {@code hungTaskTimeoutNanos} are volatile: tests set
 * them from the main thread before or while model threads run. The last label a thread passed is
 * thread-local; it is what {@link Kasan} prints as the place of a report.
 */
public final class Kernel {

    private static final ThreadLocal<String> LAST_LABEL = new ThreadLocal<>();
    /** Set while a test or checker looks at the model: its reads are not the model's accesses. */
    private static final ThreadLocal<Boolean> OBSERVING = ThreadLocal.withInitial(() -> false);

    /** The report log. */
    public final Kasan kasan = new Kasan();

    /** The concurrency mutant this machine runs with (tests only; null: none). */
    private final Mutant mutant = Mutant.armed();

    /** RCU of this machine. */
    public final Rcu rcu = new Rcu(this);

    /** The hook called at every label; written by tests, read by every model thread. */
    private volatile Step step = Step.NONE;

    /** 0: sleep forever, as the kernel does; otherwise a sleep this long is reported and ended. */
    private volatile long hungTaskTimeoutNanos;

    /**
     * A task asleep: where, the lock its condition is tested under, the condition it waits on,
     * and the condition it waits for.
     */
    private record Sleep(String what, ReentrantLock lock, Condition wake, BooleanSupplier ready) {
    }

    /** Tasks a harness has killed (see {@link #kill}): each leaves its sleep with an Oops. */
    private final Set<Thread> killed = ConcurrentHashMap.newKeySet();

    /** Called by every task that goes to sleep, holding its primitive's lock (harnesses). */
    private volatile Runnable sleepHook = () -> { };

    /** The tasks asleep in a primitive of this kernel (TASK_UNINTERRUPTIBLE). */
    private final Map<Thread, Sleep> sleeping = new ConcurrentHashMap<>();

    /** Whether this machine runs with mutant {@code m} (see {@link Mutant}). */
    public boolean mutant(Mutant m) {
        return mutant == m;
    }

    /** Installs the step hook (Step.NONE to remove it). */
    public void setStep(Step step) {
        this.step = step;
    }

    public Step step() {
        return step;
    }

    /**
     * A spec label: the current thread is about to take the step named {@code label}. Records the
     * label for {@link Kasan} reports, then calls the hook, which may park the thread.
     */
    public void at(String label) {
        LAST_LABEL.set(label);
        step.at(label);
    }

    /** The last label the current thread passed ("-" if none). */
    public static String lastLabel() {
        String label = LAST_LABEL.get();
        return label == null ? "-" : label;
    }

    /**
     * Sets the hung-task timeout: a task that sleeps this long is reported as HUNG_TASK and killed
     * (an {@link Oops} unwinds it), so that a test sees a lost wake-up instead of hanging. Zero
     * restores the kernel's behaviour of sleeping for ever.
     */
    public void setHungTaskTimeout(Duration timeout) {
        hungTaskTimeoutNanos = timeout.toNanos();
    }

    public long hungTaskTimeoutNanos() {
        return hungTaskTimeoutNanos;
    }

    /**
     * Whether {@code thread} is asleep in one of this kernel's primitives and its wake-up
     * condition is still false: it cannot go on until another thread acts. (A task whose
     * condition has just become true is about to wake and does not count.)
     */
    public boolean sleeping(Thread thread) {
        Sleep s = sleeping.get(thread);
        if (s == null) {
            return false;
        }
        // The sleeper registers and deregisters under this lock: holding it, the entry is current
        // and the condition cannot change under the sleeper's feet.
        s.lock().lock();
        try {
            return observe(() -> sleeping.get(thread) == s && !s.ready().getAsBoolean());
        } finally {
            s.lock().unlock();
        }
    }

    /**
     * Runs {@code look} as an observer: the model's memory it reads is not an access of the
     * model (no use-after-free report), as an invariant check or a debugger reads it.
     */
    public static <T> T observe(java.util.function.Supplier<T> look) {
        boolean outer = OBSERVING.get();
        OBSERVING.set(true);
        try {
            return look.get();
        } finally {
            OBSERVING.set(outer);
        }
    }

    /** Whether the current thread is observing the model rather than running it. */
    static boolean observing() {
        return OBSERVING.get();
    }

    /**
     * Installs the hook a task calls as it goes to sleep (after it is registered as asleep,
     * holding its primitive's lock): a harness that watches the wait graph re-tests on it. The
     * hook must not take a primitive of the model.
     */
    public void setSleepHook(Runnable hook) {
        this.sleepHook = hook;
    }

    /**
     * Kills {@code thread} if it sleeps in a primitive of this kernel: it wakes, and leaves its
     * sleep with an {@link Oops}, as a task killed by the hung-task panic would stop. For a
     * harness that has found the task blocked for ever (a deadlock in the wait graph), so that
     * the run can end. Returns whether the thread was asleep.
     */
    public boolean kill(Thread thread) {
        Sleep s = sleeping.get(thread);
        if (s == null) {
            return false;
        }
        s.lock().lock();
        try {
            killed.add(thread);
            s.wake().signalAll();
        } finally {
            s.lock().unlock();
        }
        return true;
    }

    /** Whether a harness has killed the current task. */
    boolean killedCurrent() {
        return killed.contains(Thread.currentThread());
    }

    /** Where {@code thread} sleeps, or null. */
    public String sleepingIn(Thread thread) {
        Sleep s = sleeping.get(thread);
        return s == null ? null : s.what();
    }

    /** The current task sleeps; it holds {@code lock}. */
    void sleeps(String what, ReentrantLock lock, Condition wake, BooleanSupplier ready) {
        sleeping.put(Thread.currentThread(), new Sleep(what, lock, wake, ready));
        sleepHook.run();
    }

    void wakes() {
        sleeping.remove(Thread.currentThread());
    }

    /** An object that lives as long as the machine (static data, the device itself). */
    public KObject forever(String name) {
        return new KObject(this, name);
    }
}
