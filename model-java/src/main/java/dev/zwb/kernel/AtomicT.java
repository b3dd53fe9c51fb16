package dev.zwb.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * atomic_t, with the kernel's ordering mapped to VarHandle access modes.
 *
 * <p>Implementation notes (memory model; see also {@link Bitops}):
 * <ul>
 * <li>atomic_read() / atomic_set() are READ_ONCE() / WRITE_ONCE(): no ordering, no tearing.
 *     Opaque mode is exactly that.</li>
 * <li>atomic_inc() / atomic_dec() (no return value) are unordered RMWs in the kernel. Java has no
 *     unordered RMW; the weakest is acquire-only or release-only. We use the acquire form:
 *     <b>stronger than the kernel</b> (later accesses cannot move before it). The release form
 *     would hide the more common bug, a counter used to publish earlier writes.</li>
 * <li>atomic_inc_return(), atomic_dec_return() and atomic_xchg() are fully ordered: a volatile
 *     RMW. The JMM orders it with every other volatile access and acts as acquire plus release
 *     for plain ones; an smp_mb() would also order a plain store before it against a plain load
 *     after it. No code in this model relies on that last property.</li>
 * </ul>
 * The counter lives in its owner's memory: every operation touches the owner.
 */
public final class AtomicT {

    private static final VarHandle COUNTER;

    static {
        try {
            COUNTER = MethodHandles.lookup().findVarHandle(AtomicT.class, "counter", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final KObject owner;
    /** Accessed only through COUNTER, in the mode each method names. */
    @SuppressWarnings("unused")
    private int counter;

    /** ATOMIC_INIT(value), embedded in {@code owner}. */
    public AtomicT(KObject owner, int value) {
        this.owner = owner;
        COUNTER.setOpaque(this, value);
    }

    /** atomic_read(): READ_ONCE, opaque. */
    public int atomicRead() {
        owner.touch("atomic_read");
        return (int) COUNTER.getOpaque(this);
    }

    /** atomic_set(): WRITE_ONCE, opaque. */
    public void atomicSet(int value) {
        owner.touch("atomic_set");
        COUNTER.setOpaque(this, value);
    }

    /** atomic_inc(): unordered RMW in the kernel; acquire RMW here (stronger). */
    public void atomicInc() {
        owner.touch("atomic_inc");
        COUNTER.getAndAddAcquire(this, 1);
    }

    /** atomic_dec(): unordered RMW in the kernel; acquire RMW here (stronger). */
    public void atomicDec() {
        owner.touch("atomic_dec");
        COUNTER.getAndAddAcquire(this, -1);
    }

    /** atomic_inc_return(): fully ordered; volatile RMW. */
    public int atomicIncReturn() {
        owner.touch("atomic_inc_return");
        return (int) COUNTER.getAndAdd(this, 1) + 1;
    }

    /** atomic_dec_return(): fully ordered; volatile RMW. */
    public int atomicDecReturn() {
        owner.touch("atomic_dec_return");
        return (int) COUNTER.getAndAdd(this, -1) - 1;
    }

    /** atomic_xchg(): fully ordered; volatile RMW. Returns the old value. */
    public int atomicXchg(int value) {
        owner.touch("atomic_xchg");
        return (int) COUNTER.getAndSet(this, value);
    }
}
