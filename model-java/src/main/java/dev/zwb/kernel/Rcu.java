package dev.zwb.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * RCU: the read side (rcu_read_lock() / rcu_read_unlock()), synchronize_rcu(), call_rcu() and
 * kfree_rcu(). A grace period that starts at a call waits for every reader that was inside a
 * read-side critical section when the call was made; readers that start later do not hold it up.
 *
 * <p>Implementation notes. A global sequence {@code gpSeq} counts calls. A reader records the
 * value at its outermost rcu_read_lock(); a call takes the next value {@code s} and waits for
 * every reader whose recorded value is below {@code s}. Callbacks run, in order, on the thread
 * whose rcu_read_unlock() ends the last such reader (or at once, on the caller, when there is
 * none): the grace period ends as early as the kernel allows, deterministically; that thread
 * passes the spec label {@code rcuGp} first. All state is guarded by {@code lock}; callbacks run
 * outside it.
 */
public final class Rcu {

    private record Reader(long start, int depth) {
    }

    private record Callback(long seq, Runnable func) {
    }

    private final Kernel kernel;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readerLeft = lock.newCondition();
    /** Guarded by lock. */
    private long gpSeq;
    /** Guarded by lock: the readers inside a critical section. */
    private final Map<Thread, Reader> readers = new HashMap<>();
    /** Guarded by lock: callbacks waiting for their grace period, oldest first. */
    private final List<Callback> pending = new ArrayList<>();

    Rcu(Kernel kernel) {
        this.kernel = kernel;
    }

    /** rcu_read_lock(). Nests. */
    public void rcuReadLock() {
        lock.lock();
        try {
            Reader r = readers.get(Thread.currentThread());
            readers.put(Thread.currentThread(),
                    r == null ? new Reader(gpSeq, 1) : new Reader(r.start(), r.depth() + 1));
        } finally {
            lock.unlock();
        }
    }

    /** rcu_read_unlock(). The outermost one may end grace periods and run their callbacks. */
    public void rcuReadUnlock() {
        List<Runnable> ready;
        lock.lock();
        try {
            Reader r = readers.get(Thread.currentThread());
            if (r == null) {
                kernel.kasan.warn("rcu_read_unlock", "unbalanced: not in a read-side section");
                return;
            }
            if (r.depth() > 1) {
                readers.put(Thread.currentThread(), new Reader(r.start(), r.depth() - 1));
                return;
            }
            readers.remove(Thread.currentThread());
            readerLeft.signalAll();
            ready = takeReadyCallbacks();
        } finally {
            lock.unlock();
        }
        runCallbacks(ready);
    }

    /** call_rcu(): runs {@code func} once every reader present now has left. */
    public void callRcu(Runnable func) {
        List<Runnable> ready;
        lock.lock();
        try {
            pending.add(new Callback(++gpSeq, func));
            ready = takeReadyCallbacks();
        } finally {
            lock.unlock();
        }
        runCallbacks(ready);
    }

    /** The grace period ends (spec label {@code rcuGp}): its callbacks run. */
    private void runCallbacks(List<Runnable> ready) {
        if (!ready.isEmpty()) {
            kernel.at("rcuGp");
            ready.forEach(Runnable::run);
        }
    }

    /** kfree_rcu(): frees {@code obj} after a grace period. */
    public void kfreeRcu(KObject obj) {
        callRcu(obj::kfree);
    }

    /** synchronize_rcu(): sleeps until every reader present now has left. */
    public void synchronizeRcu() {
        lock.lock();
        try {
            long s = ++gpSeq;
            Sched.sleepUntil(lock, readerLeft, () -> !readerOlderThan(s), kernel, "synchronize_rcu");
        } finally {
            lock.unlock();
        }
    }

    /** Ghost: the threads inside a read-side critical section (for the refinement mapping). */
    public java.util.Set<Thread> peekReaders() {
        lock.lock();
        try {
            return java.util.Set.copyOf(readers.keySet());
        } finally {
            lock.unlock();
        }
    }

    /** Ghost: the readers the oldest pending callback's grace period waits for. */
    public java.util.Set<Thread> peekBlockers() {
        lock.lock();
        try {
            if (pending.isEmpty()) {
                return java.util.Set.of();
            }
            long seq = pending.get(0).seq();
            java.util.Set<Thread> out = new java.util.HashSet<>();
            readers.forEach((t, r) -> {
                if (r.start() < seq) {
                    out.add(t);
                }
            });
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the current thread is inside a read-side critical section. */
    public boolean inReadSection() {
        lock.lock();
        try {
            return readers.containsKey(Thread.currentThread());
        } finally {
            lock.unlock();
        }
    }

    private boolean readerOlderThan(long seq) {
        return readers.values().stream().anyMatch(r -> r.start() < seq);
    }

    private List<Runnable> takeReadyCallbacks() {
        List<Runnable> ready = new ArrayList<>();
        while (!pending.isEmpty() && !readerOlderThan(pending.get(0).seq())) {
            ready.add(pending.remove(0).func());
        }
        return ready;
    }
}
