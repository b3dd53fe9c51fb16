package dev.zwb.stress;

import dev.zwb.kernel.Step;

import java.util.List;
import java.util.Set;

/**
 * A scenario's deterministic prefix: the state just before its race, reached by the real code
 * on a schedule that leaves the model checker no choice, so that its interleavings start there
 * and cover only the last racing steps.
 *
 * <p>The schedule is a list of {@link Stop}s, as the prefix of a TLC counterexample is a list
 * of steps: the task steps alone while the device holds its bios, until it reaches the first
 * stop's label; there the interrupt arrives (the first completion thread, waiting since the
 * start, gets its turn) and the task is preempted; each stop hands the CPU to the other side, which steps alone to the next stop;
 * after the last one everything runs (the task, the endio, and the other completion threads,
 * which wait until then) and the model checker chooses. Nothing is set by hand: every field at the
 * hand-over is what the twin's own code made, on the path it takes in a real run. A stop names
 * a set of labels because the fixed code and the defective code may name the same point
 * differently (the fixed multipage drain starts at {@code drainCount}, the posted one at
 * {@code drainTest}); every stop must lie on the path of both variants, or the run fails
 * saying which one was never reached.
 *
 * @param stops   the hand-overs, in order; the first is the task's
 * @param mirrors the TLC counterexample prefix this one follows (for the report and the docs)
 */
public record Prefix(List<Stop> stops, String mirrors) {

    /** Who steps alone before a stop. */
    public enum Side { TASK, ENDIO }

    /**
     * {@code side} steps alone until it first reaches one of {@code labels}, and is preempted
     * there (the next stop's side, or everyone after the last stop, goes on).
     */
    public record Stop(Side side, Set<String> labels) {
        public Stop {
            labels = Set.copyOf(labels);
        }
    }

    public Prefix {
        stops = List.copyOf(stops);
        if (stops.isEmpty() || stops.get(0).side() != Side.TASK) {
            throw new IllegalArgumentException("a prefix starts with the task stepping alone: " + stops);
        }
        for (int i = 1; i < stops.size(); i++) {
            if (stops.get(i).side() == stops.get(i - 1).side()) {
                throw new IllegalArgumentException("two stops in a row on the " + stops.get(i).side()
                        + " side: " + stops);
            }
        }
    }

    /** The task to one of {@code taskAt}, then the first endio to one of {@code endioAt}. */
    public static Prefix of(Set<String> taskAt, Set<String> endioAt, String mirrors) {
        return new Prefix(List.of(new Stop(Side.TASK, taskAt), new Stop(Side.ENDIO, endioAt)), mirrors);
    }

    /**
     * The step hook that runs the prefix of one run, for the task thread {@code task} and the
     * completion threads {@code irqs} (the first takes the first bio). Every thread is started
     * by the main thread, completion threads first: each waits in {@link #awaitTurn} before
     * anything else, so the task steps alone from its first step. Untimed monitor waits only:
     * the model-java step gates park with wall-clock limits (StepGate) or poll (Lockstep), and
     * under a model checker a wall-clock wait is one more thing to schedule; a thread in
     * {@code wait()} is simply not runnable. A hand-over happens under the relay's monitor,
     * which the side that stops releases only by waiting, so the side that goes on cannot run
     * before the side that stops is parked: a hand-over is no choice for the model checker.
     */
    Relay relay(Thread task, List<Thread> irqs) {
        return new Relay(this, task, irqs);
    }

    /** One run's hand-overs. */
    static final class Relay implements Step {

        private final Prefix prefix;
        private final Thread task;
        private final List<Thread> irqs;
        /** The stop the current side steps towards; stops.size(): the prefix is over. */
        private volatile int stop;

        Relay(Prefix prefix, Thread task, List<Thread> irqs) {
            this.prefix = prefix;
            this.task = task;
            this.irqs = List.copyOf(irqs);
        }

        private Thread thread(Side side) {
            return side == Side.TASK ? task : irqs.get(0);
        }

        /** Whether {@code me} may run now: its side's turn, or the prefix is over. */
        private boolean mayRun(Thread me) {
            int i = stop;
            return i == prefix.stops.size() || thread(prefix.stops.get(i).side()) == me;
        }

        /** Completion threads waiting in {@link #awaitTurn}. */
        private int waiting;

        /**
         * The main thread: starts the completion threads and returns once each waits for its
         * turn, so that the task, started next, steps alone from its first step.
         */
        void startIrqs() {
            synchronized (this) {
                irqs.forEach(Thread::start);
                while (waiting < irqs.size()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /**
         * The first act of completion thread {@code i}: the first waits for its turn (the
         * interrupt arrives), the others for the end of the prefix.
         */
        void awaitTurn(int i) {
            Thread me = Thread.currentThread();
            synchronized (this) {
                waiting++;
                notifyAll();
                while (i == 0 ? !mayRun(me) : stop < prefix.stops.size()) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public void at(String label) {
            Thread me = Thread.currentThread();
            List<Stop> stops = prefix.stops;
            int i = stop;
            if (i == stops.size() || me != thread(stops.get(i).side())
                    || !stops.get(i).labels().contains(label)) {
                return;
            }
            synchronized (this) {
                stop = i + 1; // hand over (after the last stop: everyone runs)
                notifyAll();
                while (!mayRun(me)) {
                    try {
                        wait(); // preempted at its label
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        /** Null if the prefix ran to its end; else which hand-over never came. */
        String missed() {
            int i = stop;
            if (i == prefix.stops.size()) {
                return null;
            }
            Stop s = prefix.stops.get(i);
            return thread(s.side()).getName() + " never reached " + s.labels();
        }
    }
}
