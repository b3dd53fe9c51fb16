package dev.zwb.kernel;

import java.util.concurrent.locks.ReentrantLock;

/**
 * spinlock_t. The irqsave variants are the same lock: the model has no interrupts to mask, only
 * threads, and a bio completion is a thread of its own. Contention blocks instead of spinning,
 * which changes no interleaving; it does not flush the block plug (a spinning task does not
 * schedule). Taking the lock twice from the same thread, which would deadlock in the kernel, is a
 * LOCKDEP report and an {@link Oops}.
 *
 * <p>The lock lives in its owner's memory: locking and unlocking touch the owner.
 */
public final class SpinLock {

    private final KObject owner;
    private final ReentrantLock lock = new ReentrantLock();

    /** spin_lock_init(), embedded in {@code owner}. */
    public SpinLock(KObject owner) {
        this.owner = owner;
    }

    /** spin_lock(). */
    public void spinLock() {
        owner.touch("spin_lock");
        if (lock.isHeldByCurrentThread()) {
            owner.kernel().kasan.report(Kasan.Kind.LOCKDEP, owner.name(), "spin_lock",
                    "recursive locking: this would deadlock");
            throw new Oops("recursive spin_lock on " + owner.name());
        }
        lock.lock();
    }

    /** spin_unlock(). */
    public void spinUnlock() {
        owner.touch("spin_unlock");
        lock.unlock();
    }

    /** lockdep's lock_is_held(): whether the current thread holds this lock. */
    public boolean heldByCurrentThread() {
        return lock.isHeldByCurrentThread();
    }

    /** spin_lock_irqsave(): interrupts are not modelled, so the plain lock. */
    public void spinLockIrqsave() {
        spinLock();
    }

    /** spin_unlock_irqrestore(). */
    public void spinUnlockIrqrestore() {
        spinUnlock();
    }
}
