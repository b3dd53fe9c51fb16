package dev.zwb.conform;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Lockstep;
import dev.zwb.writeback.Batched;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.MultiPage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One trace-validation run, the other direction of {@link Replay}: the Java twin of a model runs
 * with its real threads under {@link Lockstep}, and a seeded random scheduler picks, at every
 * point, which runnable step is taken next: a model thread parked at a label (the writeback
 * task, each environment operation, each IRQ thread in an end_io) or the device ending one of the
 * write bios it holds. Every step is logged with its process, its label and the refinement
 * mapping of the state it led to; TLC then checks that the log is a behaviour of the spec
 * ({@code zwb validate}).
 *
 * <p>What the model's constants leave open is drawn from the seed: the step at which each
 * environment operation starts (it may run from then on, as the spec lets it run at any moment),
 * the slot each environment process works on, the value a limit store writes, the order select_pp_slot() takes the slots in
 * (their compressed sizes), a failing kzalloc of the multipage pool (AllocFails), and each bio's
 * status (BioErrors). A read's bio ends as soon as its reader sleeps on it (the spec's readBio is
 * one step).
 *
 * <p>A thread let go from a label whose step cannot be taken yet (the slot lock is held, the
 * completion not done) sleeps mid-step: it took no step, it is not runnable, and its process is
 * still at that label. When another step wakes it, it takes its step right after that one; the
 * waker's own state was not observed alone, so its entry has no state ({@code null}), and the
 * woken thread's entry carries the state both led to.
 */
public final class Validation {

    /** Where writeback_store() rests once it returns: no step of the spec (its Finished stutters). */
    private static final String DONE = "done";

    /**
     * Each environment process starts at a step drawn from 0 .. START_WINDOW - 1: the writeback
     * task takes some 15 - 40 steps and each operation 1 - 5, so operations picked uniformly from
     * the start would mostly end before the task selects its first slot.
     */
    static final int START_WINDOW = 30;

    /** Steps after which a run stops (no model comes close). */
    static final int MAX_STEPS = 5_000;

    /**
     * One logged step: the process and the spec label it took, and the mapped state it led to
     * ({@code null} when not observed: a step that woke a sleeper, which then took its step). The
     * initial state has neither process nor label.
     */
    public record Entry(String process, String label, Map<String, TlaValue> state) {
        public Entry {
            state = state == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(state));
        }

        @Override
        public String toString() {
            return process == null ? "initial state" : process + ": " + label;
        }
    }

    /**
     * A run's log and how it ended.
     *
     * @param log      the initial state, then every step taken
     * @param choices  what the seed chose
     * @param end      "returned" (every process returned), or what was left and where
     * @param finished whether every process returned
     * @param nanos    wall time of the run
     */
    public record Run(long seed, List<Entry> log, JavaTwin.Choices choices, String end, boolean finished,
                      long nanos) {
        public Run {
            log = List.copyOf(log);
        }

        /** Steps taken (the initial state is not one). */
        public int steps() {
            return log.size() - 1;
        }
    }

    /** A step the scheduler may pick: a parked thread's, or the device's end of a bio. */
    private record Candidate(String process, String label, Thread thread, Bio bio, String endio) {
        String key() {
            return process + " " + label;
        }
    }

    private final Design design;
    private final ModelConstants constants;
    private final Refinement refinement;
    private final Random random;
    private final long seed;
    /** The step before which each environment process does not start (drawn from the seed). */
    private final Map<String, Integer> startAt = new HashMap<>();

    private Validation(Design design, ModelConstants constants, long seed) {
        this.design = design;
        this.constants = constants;
        this.refinement = Refinement.of(design);
        this.seed = seed;
        this.random = new Random(seed);
    }

    /** Runs the twin of a model of {@code design} once, scheduled by {@code seed}. */
    public static Run run(Design design, ModelConstants constants, long seed) {
        return run(design, constants, seed, twin -> { });
    }

    /**
     * As above, with {@code alter} applied to the twin once it is built, before its first step
     * (a test's fixture: a twin made to diverge, e.g. by a step hook wrapped around the scheduler).
     */
    public static Run run(Design design, ModelConstants constants, long seed, Consumer<JavaTwin> alter) {
        return new Validation(design, constants, seed).run(alter);
    }

    private Run run(Consumer<JavaTwin> alter) {
        long start = System.nanoTime();
        JavaTwin.Choices choices = choose();
        List<Entry> log = new ArrayList<>();
        try (JavaTwin twin = JavaTwin.build(design, constants, choices)) {
            alter.accept(twin);
            log.add(new Entry(null, null, refinement.map(twin)));
            Map<Thread, Candidate> blocked = new LinkedHashMap<>();
            String end = null;
            while (end == null) {
                List<Candidate> runnable = candidates(twin, blocked, log.size() - 1);
                if (runnable.isEmpty()) {
                    end = ending(twin);
                    break;
                }
                if (log.size() > MAX_STEPS) {
                    end = "stopped after " + MAX_STEPS + " steps";
                    break;
                }
                Candidate c = runnable.get(random.nextInt(runnable.size()));
                boolean took = take(twin, c, blocked);
                settle(twin);
                List<Candidate> woken = woken(twin, blocked);
                if (!took && woken.isEmpty()) {
                    continue; // let go, it went to sleep on a lock: no step, no state change
                }
                if (took) {
                    log.add(new Entry(c.process(), c.label(), woken.isEmpty() ? refinement.map(twin) : null));
                }
                for (int i = 0; i < woken.size(); i++) {
                    Candidate w = woken.get(i);
                    twin.stepped(w.process());
                    log.add(new Entry(w.process(), w.label(), i == woken.size() - 1 ? refinement.map(twin) : null));
                }
            }
            return new Run(seed, log, choices, end, end.equals("returned"), System.nanoTime() - start);
        }
    }

    /** The seed's choices for what the constants leave open. */
    private JavaTwin.Choices choose() {
        List<Integer> slots = constants.ints("Slots");
        Map<String, Integer> envSlots = new HashMap<>();
        Map<String, Long> stores = new HashMap<>();
        for (String p : constants.strings("EnvProcs").stream().sorted().toList()) {
            if (p.equals("limitStore")) { // works on no slot: the spec's envSlot stays 0
                List<Integer> values = constants.ints("WbLimitStores");
                envSlots.put(p, 0);
                stores.put(p, values.isEmpty() ? 0L : values.get(random.nextInt(values.size())));
            } else {
                envSlots.put(p, slots.get(random.nextInt(slots.size())));
            }
        }
        for (String p : constants.strings("EnvProcs").stream().sorted().toList()) {
            startAt.put(p, random.nextInt(START_WINDOW));
        }
        List<Integer> order = new ArrayList<>(slots);
        Collections.shuffle(order, random);
        boolean kzallocFails = constants.has("AllocFails") && constants.bool("AllocFails") && random.nextBoolean();
        return new JavaTwin.Choices(envSlots, stores, order, kzallocFails);
    }

    /**
     * The runnable steps after {@code steps} steps, in a fixed order (the thread map's order is
     * not). An environment process that has not started waits for its start step, unless nothing
     * else can run.
     */
    private List<Candidate> candidates(JavaTwin twin, Map<Thread, Candidate> blocked, int steps) {
        List<Candidate> out = new ArrayList<>();
        List<Candidate> waiting = new ArrayList<>();
        for (Thread t : twin.allThreads()) {
            String label = twin.lockstep.parkedAt(t);
            if (label == null || label.equals(DONE) || blocked.containsKey(t)) {
                continue;
            }
            String process = label.equals("rcuGp") ? "rcu" : twin.processOf(t);
            Candidate c = new Candidate(process, label, t, null, null);
            (twin.envSlot(process) == 0 && steps < startAt.getOrDefault(process, 0) ? waiting : out).add(c);
        }
        for (Bio bio : twin.pendingWrites()) {
            Candidate d = device(twin, bio);
            if (!endioBusy(twin, d.process())) {
                out.add(d);
            }
        }
        for (Bio bio : twin.pendingAsyncReads()) {
            out.add(new Candidate("bdev[read]", "readEndio", null, bio, null));
        }
        if (out.isEmpty()) {
            out = waiting;
        }
        out.sort(Comparator.comparing(Candidate::key));
        return out;
    }

    /**
     * Batched: request r's endio from its previous bio is still running (an IRQ thread of
     * "endio[r]" parked at an endio label, e.g. before rcu_read_unlock()). The spec has one endio
     * process per request, whose next bio ends only after its previous endio returned, so the
     * scheduler does not end the request's next bio before then.
     */
    private boolean endioBusy(JavaTwin twin, String process) {
        if (design != Design.BATCHED) {
            return false;
        }
        for (Thread t : twin.irqThreads(process)) {
            String at = twin.lockstep.parkedAt(t);
            if (at != null && !at.equals("rcuGp")) {
                return true;
            }
        }
        return false;
    }

    /** The device step that ends {@code bio}: its process and label as the spec names them. */
    private Candidate device(JavaTwin twin, Bio bio) {
        return switch (design) {
            case SINGLE -> new Candidate("bdev", "bioEndio", null, bio, null);
            case MULTIPAGE -> {
                List<MultiPage.RequestView> reqs = ((MultiPage) twin.wb).requests();
                int i = indexOf(reqs.stream().map(MultiPage.RequestView::bio).toList(), bio);
                yield new Candidate("bdev[" + i + "]", "bioEndio", null, bio, "endio[" + i + "]");
            }
            case BATCHED -> {
                List<Batched.RequestView> reqs = ((Batched) twin.wb).requests();
                int r = indexOf(reqs.stream().map(Batched.RequestView::bio).toList(), bio) + 1;
                Set<String> sw = constants.strings("Switches");
                String first = sw.contains("COMPLETION_REINIT") ? "endioDec"
                        : sw.contains("LOST_WAKEUP") ? "endioWakeUp" : "endioLock";
                yield new Candidate("endio[" + r + "]", first, null, bio, "endio[" + r + "]");
            }
        };
    }

    private static int indexOf(List<Bio> bios, Bio bio) {
        for (int i = 0; i < bios.size(); i++) {
            if (bios.get(i) == bio) {
                return i;
            }
        }
        throw new IllegalStateException("the device holds a bio no request owns");
    }

    /**
     * Takes {@code c}; false if its thread went to sleep mid-step instead (it is then blocked: it
     * takes its step when woken).
     */
    private boolean take(JavaTwin twin, Candidate c, Map<Thread, Candidate> blocked) {
        if (c.bio() != null) {
            // the spec's device fails no read (readEndio): only write bios may end with an error
            boolean err = !c.label().equals("readEndio") && constants.bool("BioErrors") && random.nextInt(4) == 0;
            BackingDevice.Irq irq = twin.bdev.complete(c.bio(), err ? -Errno.EIO : 0);
            Thread t = irq.thread();
            if (c.endio() != null) {
                twin.irqIs(t, c.endio());
            }
            if (twin.lockstep.settle(t) != Lockstep.Stop.PARKED || !c.label().equals(twin.lockstep.parkedAt(t))) {
                throw new IllegalStateException("the IRQ thread ending a bio did not park at " + c.label());
            }
            twin.lockstep.step(t, twin::completeReads);
            if (c.endio() == null) {
                irq.join();
            }
            return true;
        }
        Lockstep.Stop s = twin.lockstep.step(c.thread(), twin::completeReads);
        if (s == Lockstep.Stop.ASLEEP && !refinement.maySleep(c.label())) {
            blocked.put(c.thread(), c);
            return false;
        }
        twin.stepped(c.process());
        return true;
    }

    /** Waits until every thread is parked, finished or asleep; a reader asleep on its bio gets it. */
    private static void settle(JavaTwin twin) {
        do {
            twin.settleAll();
        } while (twin.completeReads(null));
    }

    /** The blocked threads that were woken and took their step (in the order they were blocked). */
    private static List<Candidate> woken(JavaTwin twin, Map<Thread, Candidate> blocked) {
        List<Candidate> out = new ArrayList<>();
        for (var it = blocked.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            Thread t = e.getKey();
            if (twin.lockstep.parkedAt(t) != null || !t.isAlive()) {
                out.add(e.getValue());
                it.remove();
            }
        }
        return out;
    }

    /** How a run with nothing runnable ended: every process returned, or who sleeps where. */
    private static String ending(JavaTwin twin) {
        StringBuilder b = new StringBuilder();
        for (Thread t : twin.allThreads()) {
            if (t.isAlive() && !DONE.equals(twin.lockstep.parkedAt(t))) {
                String p = twin.processOf(t);
                b.append(b.length() > 0 ? "; " : "").append(p).append(" asleep in ")
                        .append(twin.kernel.sleepingIn(t)).append(" at ").append(twin.lockstep.steppingFrom(t));
            }
        }
        return b.length() == 0 ? "returned" : "nothing runnable: " + b;
    }
}
