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
