package dev.zwb.kernel;

/**
 * A kernel oops in the thread that runs into it: a NULL dereference, a recursive spin lock, a hung
 * task the test gave up on, or a kill. The thread unwinds, as the task would die in the kernel;
 * whatever it held stays held. Code that runs in bio completion (IRQ) context never throws this: it
 * records the problem in {@link Kasan} and carries on.
 */
public final class Oops extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Oops(String message) {
        super(message);
    }
}
