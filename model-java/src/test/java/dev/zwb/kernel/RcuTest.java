package dev.zwb.kernel;

import dev.zwb.Rig;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RcuTest {

    private final Kernel kernel = new Kernel();
    private final Rcu rcu = kernel.rcu;

    /** A reader inside its read-side section until {@code leave} is counted down. */
    private Actor<Void> readerInside(String name, CountDownLatch leave) throws InterruptedException {
        CountDownLatch inside = new CountDownLatch(1);
        Actor<Void> r = reader(name, inside, leave);
        inside.await();
        return r;
    }

    /** A reader that enters, signals, and leaves when told. */
    private Actor<Void> reader(String name, CountDownLatch inside, CountDownLatch leave) {
        return Actor.run(name, () -> {
            rcu.rcuReadLock();
            inside.countDown();
            try {
                leave.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rcu.rcuReadUnlock();
        });
    }

    @Test
    void kfreeRcuWithNoReadersFreesAtOnce() {
        KObject obj = new KObject(kernel, "wb_ctl");
        rcu.kfreeRcu(obj);
        assertTrue(obj.freed());
    }

    @Test
    void kfreeRcuWaitsForAReaderThatStartedBefore() throws InterruptedException {
        KObject obj = new KObject(kernel, "wb_ctl");
        CountDownLatch leave = new CountDownLatch(1);
        Actor<Void> r = readerInside("endio", leave);
        rcu.kfreeRcu(obj);
        assertFalse(obj.freed(), "the grace period waits for the reader");
        obj.touch("wake_up"); // the reader's access is safe
        leave.countDown();
        r.join();
        assertTrue(obj.freed(), "freed when the last old reader left");
        assertTrue(kernel.kasan.reports().isEmpty());
    }

    @Test
    void aReaderThatStartsAfterDoesNotHoldTheGracePeriod() throws InterruptedException {
        KObject obj = new KObject(kernel, "wb_ctl");
        CountDownLatch oldLeave = new CountDownLatch(1);
        Actor<Void> old = readerInside("old", oldLeave);
        rcu.kfreeRcu(obj);
        CountDownLatch newLeave = new CountDownLatch(1);
        Actor<Void> late = readerInside("late", newLeave);
        oldLeave.countDown();
        old.join();
        assertTrue(obj.freed(), "the late reader does not delay the free");
        newLeave.countDown();
        late.join();
    }

    @Test
    void synchronizeRcuWaitsForOldReaders() throws InterruptedException {
        CountDownLatch leave = new CountDownLatch(1);
        Actor<Void> r = readerInside("reader", leave);
        Actor<Void> sync = Actor.run("sync", rcu::synchronizeRcu);
        Rig.settle(kernel, sync);
        assertFalse(sync.returnedWithin(Duration.ZERO), "a reader is still inside");
        leave.countDown();
        r.join();
        sync.join();
    }

    @Test
    void readSectionsNest() {
        KObject obj = new KObject(kernel, "wb_ctl");
        rcu.rcuReadLock();
        rcu.rcuReadLock();
        rcu.rcuReadUnlock();
        assertTrue(rcu.inReadSection());
        Actor.run("free", () -> rcu.kfreeRcu(obj)).join();
        assertFalse(obj.freed());
        rcu.rcuReadUnlock();
        assertTrue(obj.freed());
    }
}
