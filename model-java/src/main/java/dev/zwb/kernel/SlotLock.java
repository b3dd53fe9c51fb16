package dev.zwb.kernel;

/**
 * zram's per-slot entry lock: bit {@code bit} (ZRAM_ENTRY_LOCK) of each slot's flags word, taken
 * with test_and_set_bit_lock(), waited for with wait_on_bit_lock() (the owner may sleep, so may
 * the waiter), released with clear_and_wake_up_bit(). The try variant is for atomic context
 * (zram_slot_free_notify()).
 *
 * <p>Implementation notes. The kernel hashes (word, bit) into a table of wait queues shared by all
 * bit waiters; the model collapses that table into one {@link WaitQueue} per slot table, so an
 * unlock wakes the waiters of every slot and each tests its own bit again: more wake-ups, the
 * same behaviour. A waiter tests the bit under the queue's lock and the unlocker clears the bit
 * (release) before it takes that lock to wake, so no wake-up is lost (the kernel needs
 * smp_mb__after_atomic() for the same reason).
 *
 * <p>Lockdep's part: the model records which thread holds each slot's lock, and the table's
 * setters (and the read path's load of the block index) assert that the caller holds it; a
 * caller that does not is a LOCKDEP report ({@link #assertHeld}).
 *
 * <p>Only the owner changes the other bits of the word, with non-atomic RMWs; a contender's
 * failed test_and_set_bit_lock() writes the word back unchanged, so it cannot undo them.
 */
public final class SlotLock {

    private final long[] words;
    private final int bit;
    private final WaitQueue bitWait;
    private final KObject owner;
    /**
     * Lockdep's view, and the refinement mapping's ghost (lockdep's owner): the thread holding
     * each slot's lock (written by that thread only, read by lockdep and the mapping).
     */
    private final java.util.concurrent.atomic.AtomicReferenceArray<Thread> holders;

    /** The lock bit {@code bit} of each word of {@code words}, which live in {@code owner}. */
    public SlotLock(long[] words, int bit, KObject owner) {
        this.words = words;
        this.bit = bit;
        this.bitWait = new WaitQueue(owner);
        this.owner = owner;
        this.holders = new java.util.concurrent.atomic.AtomicReferenceArray<>(words.length);
    }

    private long nr(int index) {
        return (long) index * Bitops.BITS_PER_LONG + bit;
    }

    /** zram_slot_trylock(): takes the lock if it is free; never sleeps. */
    public boolean trylock(int index) {
        if (Bitops.testAndSetBitLock(nr(index), words)) {
            return false;
        }
        holders.set(index, Thread.currentThread());
        return true;
    }

    /** zram_slot_lock(): wait_on_bit_lock(), sleeping while another task holds the bit. */
    public void lock(int index) {
        long nr = nr(index);
        while (Bitops.testAndSetBitLock(nr, words)) {
            bitWait.waitEvent(() -> !Bitops.testBit(nr, words));
        }
        holders.set(index, Thread.currentThread());
    }

    /** zram_slot_unlock(): clear_and_wake_up_bit(). */
    public void unlock(int index) {
        assertHeld(index, "zram_slot_unlock");
        holders.set(index, null);
        Bitops.clearBitUnlock(nr(index), words);
        bitWait.wakeUp();
    }

    /** Ghost: the task that holds the lock of slot {@code index}, or null. */
    public Thread owner(int index) {
        return holders.get(index);
    }

    /**
     * lockdep_assert_held() of slot {@code index}'s lock: if the current thread does not hold it,
     * a LOCKDEP report naming {@code access} (the model reports and goes on).
     */
    public void assertHeld(int index, String access) {
        if (holders.get(index) != Thread.currentThread() && !Kernel.observing()) {
            owner.kernel().kasan.report(Kasan.Kind.LOCKDEP, "slot " + index, access,
                    "slot lock not held");
        }
    }

    /** Whether the lock bit is set (for assertions and invariants). */
    public boolean isLocked(int index) {
        return Bitops.testBit(nr(index), words);
    }
}
