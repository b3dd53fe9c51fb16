package dev.zwb.kernel;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * struct rw_semaphore (zram's init_lock, later dev_lock). A sleeping lock: a task that has to wait
 * flushes its plug first. Unlike the kernel's, the Java lock is reentrant; zram never re-takes it.
 */
public final class RwSem {

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();

    /** down_read(). */
    public void downRead() {
        if (!lock.readLock().tryLock()) {
            BlkPlug.schedSubmitWork();
            lock.readLock().lock();
        }
    }

    /** Whether anyone holds the semaphore, for read or for write (for leak checks). */
    public boolean held() {
        return lock.getReadLockCount() > 0 || lock.isWriteLocked();
    }

    /** up_read(). */
    public void upRead() {
        lock.readLock().unlock();
    }

    /** down_write(). */
    public void downWrite() {
        if (!lock.writeLock().tryLock()) {
            BlkPlug.schedSubmitWork();
            lock.writeLock().lock();
        }
    }

    /** up_write(). */
    public void upWrite() {
        lock.writeLock().unlock();
    }
}
