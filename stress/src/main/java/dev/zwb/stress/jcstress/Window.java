package dev.zwb.stress.jcstress;

import dev.zwb.kernel.Step;

/**
 * Step hooks that JCStress tests install on the model's kernel. None of them decides an
 * interleaving: each either tells one actor that another has reached a spec label (so that the
 * actor starts its step near the window instead of microseconds before it), or holds a thread
 * at a label for a bounded time (so that a window a few instructions wide is as wide as a
 * preemption or an interrupt on a real CPU would make it). Which side wins is still up to the
 * hardware; the "natural" tests install neither and show how often the bare race shows.
 */
final class Window {

    /**
     * The longest a hold lasts: 1 ms, about a scheduler tick, the length of a preemption (or of
     * an interrupt that runs long) on a loaded CPU. A hold whose condition never comes (the
     * other side is asleep, waiting for the held one) costs this much per sample and decides
     * nothing.
     */
    static final long HOLD_NANOS = 1_000_000L;

    /** How long a device actor waits for the bio it is to complete (the task failed: 1 s). */
    static final long START_NANOS = 1_000_000_000L;

    private Window() {
    }

    /** A flag set when any thread reaches {@code label}. */
    static final class Reached implements Step {
        private final String label;
        private volatile boolean reached;

        Reached(String label) {
            this.label = label;
        }

        @Override
        public void at(String at) {
            if (!reached && at.equals(label)) {
                reached = true;
            }
        }

        boolean reached() {
            return reached;
        }
    }

    /** Spins (bounded) until {@code cond} holds; gives up after {@code nanos}. */
    static void spinUntil(java.util.function.BooleanSupplier cond, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!cond.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
