package dev.zwb.kernel;

import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * struct completion, counting as in the kernel: complete() adds one, wait_for_completion() waits
 * for a non-zero count and takes one, complete_all() makes the count "infinite" (UINT_MAX),
 * reinit_completion() sets it to zero. A complete() that nobody waits for stays in the count, so
 * a later wait returns at once: the property the COMPLETION_REINIT defect trips over.
 *
 * <p>Implementation notes. {@code done} is written under {@code lock} (x-&gt;wait.lock). The kernel's
 * reinit_completion() writes {@code done} without the lock; here it takes the lock, which is
 * stronger and changes no interleaving the model explores. The completion lives in its owner's
 * memory (a stack frame for DECLARE_COMPLETION_ONSTACK, a struct otherwise): every operation
 * touches the owner, so a complete() on a dead stack frame is a use-after-free report.
 */
public final class Completion {

    /** The count that complete_all() sets. */
    public static final long UINT_MAX = 0xFFFF_FFFFL;

    private final KObject owner;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Written under lock; volatile so that the hung-task view can read it without the lock. */
    private volatile long done;

    /** init_completion() / DECLARE_COMPLETION_ONSTACK(), embedded in {@code owner}. */
    public Completion(KObject owner) {
        this.owner = owner;
    }

    /** complete(): adds one and wakes one waiter. */
    public void complete() {
        owner.touch("complete");
        lock.lock();
        try {
            if (done != UINT_MAX) {
                done++;
            }
            wake.signal();
        } finally {
            lock.unlock();
        }
    }

    /** complete_all(): every present and future waiter returns. */
    public void completeAll() {
        owner.touch("complete_all");
        lock.lock();
        try {
            done = UINT_MAX;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** wait_for_completion(): waits for a non-zero count and takes one. */
    public void waitForCompletion() {
        owner.touch("wait_for_completion");
        lock.lock();
        try {
            Sched.sleepUntil(lock, wake, () -> done > 0, owner.kernel(),
                    "wait_for_completion on " + owner.name());
            if (done != UINT_MAX) {
                done--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * wait_for_completion_io(): the same, but the sleep is accounted as I/O wait. The model does
     * not tell the two apart; both flush the task's plug before sleeping.
     */
    public void waitForCompletionIo() {
        waitForCompletion();
    }

    /** try_wait_for_completion(): takes one if the count is non-zero; never sleeps. */
    public boolean tryWaitForCompletion() {
        owner.touch("try_wait_for_completion");
        lock.lock();
        try {
            if (done == 0) {
                return false;
            }
            if (done != UINT_MAX) {
                done--;
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** completion_done(): whether a wait would return at once. */
    public boolean completionDone() {
        owner.touch("completion_done");
        lock.lock();
        try {
            return done != 0;
        } finally {
            lock.unlock();
        }
    }

    /** Ghost: the count (done.done) without touching memory, for the refinement mapping. */
    public long peekDone() {
        return done;
    }

    /** reinit_completion(): the count goes back to zero, forgetting any complete() not waited for. */
    public void reinitCompletion() {
        owner.touch("reinit_completion");
        lock.lock();
        try {
            done = 0;
        } finally {
            lock.unlock();
        }
    }
}
