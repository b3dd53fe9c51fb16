package dev.zwb.kernel;

import dev.zwb.Rig;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaitQueueTest {

    private final Kernel kernel = new Kernel();
    private final KObject owner = new KObject(kernel, "wb_ctl");
    private final WaitQueue wq = new WaitQueue(owner);
    private final AtomicBoolean condition = new AtomicBoolean();

    @Test
    void aTrueConditionDoesNotSleep() {
        condition.set(true);
        wq.waitEvent(condition::get);
        assertFalse(kernel.sleeping(Thread.currentThread()));
    }

    @Test
    void publishThenWakeUpEndsTheWait() {
        Actor<Void> waiter = Actor.run("waiter", () -> wq.waitEvent(condition::get));
        Rig.settle(kernel, waiter);
        assertTrue(kernel.sleeping(waiter.thread()), "the condition is false: it sleeps");
        condition.set(true);
        wq.wakeUp();
        waiter.join();
        assertFalse(waiter.thread().isAlive(), "the wake-up after the publication ended the wait");
    }

    @Test
    void aWakeUpWithoutTheConditionLeavesTheWaiterAsleep() {
        Actor<Void> waiter = Actor.run("waiter", () -> wq.waitEvent(condition::get));
        Rig.settle(kernel, waiter);
        wq.wakeUp();
        Rig.settle(kernel, waiter);
        assertTrue(kernel.sleeping(waiter.thread()), "it tested the condition again and slept");
        condition.set(true);
        wq.wakeUp();
        waiter.join();
    }

    @Test
    void aLostWakeUpIsReportedNotHung() {
        kernel.setHungTaskTimeout(Duration.ofMillis(200));
        Actor<Void> waiter = Actor.run("waiter", () -> wq.waitEvent(condition::get));
        Rig.settle(kernel, waiter);
        condition.set(true); // published, but nobody calls wakeUp()
        waiter.join();
        Kasan.Report r = kernel.kasan.reports(Kasan.Kind.HUNG_TASK).get(0);
        assertTrue(r.detail().startsWith("lost wake-up"), r.toString());
    }

    @Test
    void aMissingPublicationIsAHangNotACrash() {
        kernel.setHungTaskTimeout(Duration.ofMillis(100));
        assertThrows(Oops.class, () -> wq.waitEvent(condition::get));
        assertTrue(kernel.kasan.reports(Kasan.Kind.HUNG_TASK).get(0).detail().startsWith("hung"));
    }

    @Test
    void timeoutVariantReturnsFalse() {
        assertFalse(wq.waitEventTimeout(condition::get, Duration.ofMillis(20)));
        condition.set(true);
        assertTrue(wq.waitEventTimeout(condition::get, Duration.ofMillis(20)));
    }

    @Test
    void wakeUpOnAFreedQueueIsAUseAfterFree() {
        owner.kfree();
        wq.wakeUp();
        assertEquals("wake_up", kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).get(0).access());
    }
}
