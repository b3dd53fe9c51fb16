package dev.zwb.kernel;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * struct rw_semaphore (zram's init_lock, later dev_lock). A sleeping lock: a task that has to wait
 * sleeps through {@link WaitQueue} (so the scheduler sees it asleep, and its plug is flushed
 * first). Readers share it, a writer excludes everyone; unlike the kernel's, a reader that comes
 * while a writer waits is not held back (zram's paths never depend on that), and it is not
 * reentrant (zram never re-takes it).
 */
public final class RwSem {

    /** Readers holding it, or -1 while a writer holds it. */
    private final AtomicInteger count = new AtomicInteger();
    private final WaitQueue waiters;

    /** init_rwsem(), embedded in {@code owner}. */
    public RwSem(KObject owner) {
        this.waiters = new WaitQueue(owner);
    }

    /** down_read(). */
    public void downRead() {
        while (true) {
            int c = count.get();
            if (c >= 0 && count.compareAndSet(c, c + 1)) {
                return;
            }
            if (c < 0) {
                waiters.waitEvent(() -> count.get() >= 0);
            }
        }
    }

    /** Whether anyone holds the semaphore, for read or for write (for leak checks). */
    public boolean held() {
        return count.get() != 0;
    }

    /** up_read(). */
    public void upRead() {
        if (count.decrementAndGet() == 0) {
            waiters.wakeUp();
        }
    }

    /** down_write(). */
    public void downWrite() {
        while (!count.compareAndSet(0, -1)) {
            waiters.waitEvent(() -> count.get() == 0);
        }
    }

    /** up_write(). */
    public void upWrite() {
        count.set(0);
        waiters.wakeUp();
    }
}
