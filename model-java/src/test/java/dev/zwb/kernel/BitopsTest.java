package dev.zwb.kernel;

import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BitopsTest {

    @Test
    void bitsAcrossWords() {
        long[] map = new long[3];
        for (long nr : new long[] {0, 63, 64, 130}) {
            assertFalse(Bitops.testBit(nr, map));
            Bitops.setBit(nr, map);
            assertTrue(Bitops.testBit(nr, map));
        }
        assertEquals(1L | (1L << 63), map[0]);
        assertEquals(1L, map[1]);
        assertEquals(1L << 2, map[2]);
        Bitops.clearBit(63, map);
        assertEquals(1L, map[0]);
    }

    @Test
    void testAndSetAndClearReturnTheOldBit() {
        long[] w = new long[1];
        assertFalse(Bitops.testAndSetBit(5, w));
        assertTrue(Bitops.testAndSetBit(5, w));
        assertTrue(Bitops.testAndClearBit(5, w));
        assertFalse(Bitops.testAndClearBit(5, w));
    }

    @Test
    void lockAndUnlock() {
        long[] w = new long[1];
        assertFalse(Bitops.testAndSetBitLock(1, w), "free lock is taken");
        assertTrue(Bitops.testAndSetBitLock(1, w), "held lock is not");
        Bitops.clearBitUnlock(1, w);
        assertFalse(Bitops.testBit(1, w));
    }

    @Test
    void nonAtomicOpsChangeOnlyTheirBit() {
        long[] w = {0b1010};
        Bitops.nonAtomicSetBit(0, w);
        Bitops.nonAtomicClearBit(3, w);
        assertEquals(0b0011, w[0]);
    }

    @Test
    void findNextZeroBit() {
        long[] map = new long[2];
        assertEquals(0, Bitops.findNextZeroBit(map, 100, 0));
        assertEquals(1, Bitops.findNextZeroBit(map, 100, 1));
        map[0] = -1L;
        assertEquals(64, Bitops.findNextZeroBit(map, 100, 0));
        map[1] = -1L;
        assertEquals(100, Bitops.findNextZeroBit(map, 100, 3), "full: returns size");
    }

    @Test
    void atomicBitOpsOnOneWordLoseNoUpdate() {
        long[] w = new long[1];
        int rounds = 20_000;
        Actor<Void> a = Actor.run("a", () -> {
            for (int i = 0; i < rounds; i++) {
                Bitops.setBit(0, w);
                Bitops.clearBit(0, w);
            }
            Bitops.setBit(0, w);
        });
        Actor<Void> b = Actor.run("b", () -> {
            for (int i = 0; i < rounds; i++) {
                Bitops.setBit(1, w);
                Bitops.clearBit(1, w);
            }
            Bitops.setBit(1, w);
        });
        a.join();
        b.join();
        assertEquals(0b11, w[0]);
    }
}
