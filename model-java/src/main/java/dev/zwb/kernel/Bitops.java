package dev.zwb.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The kernel's bit operations on an array of {@code unsigned long} words, {@code long[]} here.
 * Bit {@code nr} lives in word {@code nr / 64}; a one-word "address" such as
 * {@code &table[index].flags} is word {@code index}, so its bit {@code b} is {@code index * 64 + b}.
 *
 * <p>Implementation notes: each operation uses the VarHandle access mode that matches the kernel's
 * ordering (Documentation/atomic_bitops.txt, memory-barriers.txt); where Java offers nothing as
 * weak, the mode is the weakest that exists and the method says that it is stronger.
 * <pre>
 *   kernel                      ordering in the kernel       VarHandle mode here
 *   test_bit()                  none (a plain load)          getOpaque
 *   set_bit(), clear_bit()      none (unordered atomic RMW)  getAndBitwiseOr/AndAcquire  (stronger)
 *   test_and_set_bit(),
 *   test_and_clear_bit()        full (smp_mb on both sides)  getAndBitwiseOr/And (volatile)
 *   test_and_set_bit_lock()     acquire, on success only     getAndBitwiseOrAcquire (stronger on failure)
 *   clear_bit_unlock()          release                      getAndBitwiseAndRelease
 *   __set_bit(), __clear_bit(),
 *   plain "flags |= BIT(x)"     non-atomic RMW               getOpaque + setOpaque
 * </pre>
 * Why acquire, not release, for set_bit()/clear_bit(): neither is as weak as the kernel. A bug of
 * the form "set a bit to publish earlier writes, without smp_mb__before_atomic()" is the common
 * one; the release form would hide it, the acquire form keeps it possible. The acquire form can
 * hide the rarer "later loads must not pass the bit write" bug (smp_mb__after_atomic()).
 *
 * <p>Two bits in the same word cannot be seen out of order by anyone: all RMWs on one word are
 * totally ordered (coherence). So the multipage endio's set_bit(COMPLETED) then
 * clear_bit(ALLOCATED) on one flags word is seen in that order even on weakly ordered CPUs.
 *
 * <p>A fully ordered kernel RMW implies smp_mb() before and after, which also orders a plain store
 * before it against a plain load after it; a volatile Java RMW does not promise that for plain
 * accesses. No code in this model relies on it.
 */
public final class Bitops {

    public static final int BITS_PER_LONG = 64;

    private static final VarHandle WORD = MethodHandles.arrayElementVarHandle(long[].class);

    private Bitops() {
    }

    private static int word(long nr) {
        return (int) (nr >>> 6);
    }

    private static long mask(long nr) {
        return 1L << (nr & 63);
    }

    /** test_bit(): a plain load in the kernel; opaque (READ_ONCE) here. */
    public static boolean testBit(long nr, long[] addr) {
        return ((long) WORD.getOpaque(addr, word(nr)) & mask(nr)) != 0;
    }

    /** set_bit(): atomic, unordered. Acquire RMW here: stronger than the kernel. */
    public static void setBit(long nr, long[] addr) {
        WORD.getAndBitwiseOrAcquire(addr, word(nr), mask(nr));
    }

    /** clear_bit(): atomic, unordered. Acquire RMW here: stronger than the kernel. */
    public static void clearBit(long nr, long[] addr) {
        WORD.getAndBitwiseAndAcquire(addr, word(nr), ~mask(nr));
    }

    /** test_and_set_bit(): atomic, fully ordered; returns the old bit. */
    public static boolean testAndSetBit(long nr, long[] addr) {
        return ((long) WORD.getAndBitwiseOr(addr, word(nr), mask(nr)) & mask(nr)) != 0;
    }

    /** test_and_clear_bit(): atomic, fully ordered; returns the old bit. */
    public static boolean testAndClearBit(long nr, long[] addr) {
        return ((long) WORD.getAndBitwiseAnd(addr, word(nr), ~mask(nr)) & mask(nr)) != 0;
    }

    /**
     * test_and_set_bit_lock(): atomic, acquire when it takes the bit (returns false). Java's
     * acquire applies on failure too: stronger than the kernel there.
     */
    public static boolean testAndSetBitLock(long nr, long[] addr) {
        return ((long) WORD.getAndBitwiseOrAcquire(addr, word(nr), mask(nr)) & mask(nr)) != 0;
    }

    /** clear_bit_unlock(): atomic, release. */
    public static void clearBitUnlock(long nr, long[] addr) {
        WORD.getAndBitwiseAndRelease(addr, word(nr), ~mask(nr));
    }

    /**
     * __set_bit(), and the plain {@code flags |= BIT(x)} of zram_set_flag(): a non-atomic
     * load-modify-store. Safe only where no other CPU changes other bits of the word meanwhile.
     */
    public static void nonAtomicSetBit(long nr, long[] addr) {
        int w = word(nr);
        WORD.setOpaque(addr, w, (long) WORD.getOpaque(addr, w) | mask(nr));
    }

    /** __clear_bit(), and the plain {@code flags &= ~BIT(x)}: a non-atomic load-modify-store. */
    public static void nonAtomicClearBit(long nr, long[] addr) {
        int w = word(nr);
        WORD.setOpaque(addr, w, (long) WORD.getOpaque(addr, w) & ~mask(nr));
    }

    /**
     * find_next_zero_bit(): the first clear bit at or after {@code offset} and below {@code size},
     * or {@code size} if none. Plain (here opaque) loads, so a concurrent change may or may not be
     * seen, as in the kernel.
     */
    public static long findNextZeroBit(long[] addr, long size, long offset) {
        for (long nr = offset; nr < size; nr++) {
            if (!testBit(nr, addr)) {
                return nr;
            }
        }
        return size;
    }

    /** BITS_TO_LONGS(). */
    public static int bitsToLongs(long bits) {
        return (int) ((bits + BITS_PER_LONG - 1) / BITS_PER_LONG);
    }
}
