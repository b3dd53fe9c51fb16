package dev.zwb.kernel;

import dev.zwb.Rig;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SlotLockTest {

    private static final int LOCK_BIT = 1;
    private final Kernel kernel = new Kernel();
    private final long[] flags = new long[4];
    private final SlotLock lock = new SlotLock(flags, LOCK_BIT, kernel.forever("table"));

    @Test
    void trylockTakesAFreeLockOnly() {
        assertTrue(lock.trylock(2));
        assertFalse(lock.trylock(2));
        assertTrue(lock.trylock(3), "slots lock independently");
        lock.unlock(2);
        assertTrue(lock.trylock(2));
        assertEquals(1L << LOCK_BIT, flags[2]);
    }

    @Test
    void lockSleepsUntilTheOwnerUnlocks() {
        lock.lock(0);
        Actor<Void> waiter = Actor.run("waiter", () -> {
            lock.lock(0);
            lock.unlock(0);
        });
        Rig.settle(kernel, waiter);
        assertTrue(kernel.sleeping(waiter.thread()));
        lock.unlock(0);
        waiter.join();
        assertFalse(lock.isLocked(0));
    }

    @Test
    void unlockKeepsTheOtherFlagBits() {
        lock.lock(1);
        Bitops.nonAtomicSetBit(64 + 3, flags); // the owner sets another flag of slot 1
        lock.unlock(1);
        assertEquals(1L << 3, flags[1]);
    }

    @Test
    void mutualExclusion() {
        int[] counter = new int[1];
        Runnable body = () -> {
            for (int i = 0; i < 5_000; i++) {
                lock.lock(0);
                counter[0]++;
                lock.unlock(0);
            }
        };
        Actor<Void> a = Actor.run("a", body);
        Actor<Void> b = Actor.run("b", body);
        a.join();
        b.join();
        assertEquals(10_000, counter[0]);
    }
}
