package dev.zwb.kernel;

/**
 * A piece of kernel memory with a lifetime: a kmalloc()ed struct, or a stack frame. Freeing it
 * ({@link #kfree}, or {@link #leaveFrame} for a stack frame) poisons it; any later
 * {@link #touch} is recorded as a use-after-free in the kernel's {@link Kasan} log, with the
 * object's name, the access, and the label of the thread that touched it.
 *
 * <p>Structs of the model extend this class, or own one; primitives embedded in a struct
 * ({@link SpinLock}, {@link WaitQueue}, {@link Completion}, {@link AtomicT}, {@link ListHead})
 * take the struct as their owner and touch it on every operation, as the CPU touches the struct's
 * memory. Java keeps the object reachable, so the access itself still "works" after the report:
 * like KASAN, the model reports and carries on.
 *
 * <p>Implementation notes. {@code freedBy} is written once by the freeing thread and read by any
 * thread; it is volatile so that a touch that runs after the free (in happens-before order) sees
 * it. A touch that races with the free may miss it, as KASAN may.
 */
public class KObject {

    private final Kernel kernel;
    private final String name;
    /** null while alive; then who freed it and where. Written once. */
    private volatile String freedBy;

    public KObject(Kernel kernel, String name) {
        this.kernel = kernel;
        this.name = name;
    }

    public final Kernel kernel() {
        return kernel;
    }

    public final String name() {
        return name;
    }

    /** Whether the object has been freed (or its stack frame has ended). */
    public final boolean freed() {
        return freedBy != null;
    }

    /** An access to the object's memory; after the free it is a use-after-free report. */
    public final void touch(String access) {
        String by = freedBy;
        if (by != null && !Kernel.observing()) {
            kernel.kasan.report(Kasan.Kind.USE_AFTER_FREE, name, access, "freed by " + by);
        }
    }

    /** kfree(): poisons the object; a second free is a double-free report. */
    public final void kfree() {
        poison("kfree");
    }

    /** The function that holds this stack frame returns: the frame's memory is dead. */
    public final void leaveFrame() {
        poison("end of stack frame");
    }

    private void poison(String how) {
        if (freedBy != null) {
            kernel.kasan.report(Kasan.Kind.DOUBLE_FREE, name, how, "freed by " + freedBy);
            return;
        }
        freedBy = how + " in " + Thread.currentThread().getName() + " at " + Kernel.lastLabel();
    }

    @Override
    public String toString() {
        return name + (freed() ? " (freed)" : "");
    }
}
