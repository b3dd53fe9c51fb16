package dev.zwb.kernel;

/**
 * The step hook: the model calls it at every point where the TLA+ spec has a label, that is, just
 * before the atomic step that the label names (a point where another CPU may step in).
 *
 * <p>Production and stress runs use {@link #NONE}. A deterministic scheduler
 * ({@code dev.zwb.sched.StepGate}) parks threads at chosen labels to drive the model through an
 * interleaving, and a recorder ({@code dev.zwb.sched.StepLog}) logs (thread, label) pairs for
 * trace validation. The hook runs on the thread that takes the step.
 */
@FunctionalInterface
public interface Step {

    /** Called by the thread that is about to take the step named {@code label}. */
    void at(String label);

    /** The hook that does nothing. */
    Step NONE = label -> { };

    /** This hook, then {@code next}. */
    default Step andThen(Step next) {
        return label -> {
            at(label);
            next.at(label);
        };
    }
}
