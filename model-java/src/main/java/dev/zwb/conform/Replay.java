package dev.zwb.conform;

import dev.zwb.bdev.BackingDevice;
import dev.zwb.check.Invariant;
import dev.zwb.check.Invariants;
import dev.zwb.check.Violation;
import dev.zwb.kernel.Kasan;
import dev.zwb.kernel.Kernel;
import dev.zwb.sched.Lockstep;
import dev.zwb.writeback.Design;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Replays a TLC counterexample on the Java twin: builds the twin from the model's constants,
 * drives its threads through exactly the trace's interleaving (process = thread, label = step
 * hook, a "bdev" step = the device ending the bio the trace names), and after every step compares
 * the refinement mapping of the Java state with TLC's state. It stops at the first divergence. At
 * the end the twin must break the invariant TLC reported (or, for a deadlock, every unfinished
 * thread must be stuck at its label).
 */
public final class Replay {

    /** TLC's verdict to reproduce: an invariant's name, or {@link #DEADLOCK}. */
    public static final String DEADLOCK = "deadlock";

    /** One replayed step: whether the mapped Java state agrees with TLC's. */
    public record Mark(TraceStep step, boolean agrees) {
    }

    /** The first disagreement: at which step, which variable, TLC's value and Java's. */
    public record Divergence(TraceStep step, String variable, String tlc, String java) {
        @Override
        public String toString() {
            return "state " + step.number() + " (" + (step.process() == null ? "initial" : step.process() + ": "
                    + step.label()) + "): " + variable + " is " + tlc + " in TLC but " + java + " in Java";
        }
    }

    /**
     * What a replay found.
     *
     * @param marks      the steps replayed, each marked
     * @param divergence the first divergence, or null
     * @param sameEnd    whether the twin ended as TLC did (false when it diverged)
     * @param end        what the twin reported at the end (its violations, or where its threads are stuck)
     * @param compared   variable comparisons made
     * @param nanos      wall time of the replay
     */
    public record Result(List<Mark> marks, Divergence divergence, boolean sameEnd, String end, long compared,
                         long nanos) {
        public boolean ok() {
            return divergence == null && sameEnd;
        }
    }

    private final Design design;
    private final Refinement refinement;
    private final ModelConstants constants;
    private final List<TraceStep> trace;
    private long compared;

    private Replay(Design design, ModelConstants constants, List<TraceStep> trace) {
        this.design = design;
        this.refinement = Refinement.of(design);
        this.constants = constants;
        this.trace = trace;
    }

    /** Replays {@code trace} (state 1 first) of a model of {@code design}; {@code expected} is TLC's verdict. */
    public static Result run(Design design, ModelConstants constants, List<TraceStep> trace, String expected) {
        return new Replay(design, constants, trace).run(expected);
    }

    private Result run(String expected) {
        long start = System.nanoTime();
        List<Mark> marks = new ArrayList<>();
        try (JavaTwin twin = JavaTwin.build(design, constants, trace, refinement)) {
            for (int i = 0; i < trace.size(); i++) {
                TraceStep step = trace.get(i);
                Divergence d = i == 0 ? null : perform(twin, trace.get(i - 1), step);
                if (d == null) {
                    d = compare(twin, step);
                }
                marks.add(new Mark(step, d == null));
                if (d != null) {
                    return new Result(marks, d, false, "", compared, System.nanoTime() - start);
                }
            }
            String[] end = new String[1];
            boolean same = expected.equals(DEADLOCK) ? stuck(twin, end) : broken(twin, expected, end);
            return new Result(marks, null, same, end[0], compared, System.nanoTime() - start);
        }
    }

    /** Takes one step in the twin; a divergence if the twin cannot take it as TLC did. */
    private Divergence perform(JavaTwin twin, TraceStep prev, TraceStep step) {
        String process = step.process();
        Thread parked = twin.threadAt(process, step.label());
        boolean deviceFirst = process.startsWith("endio[") && refinement.deviceSteps().contains(step.label())
                && (parked == null || !step.label().equals(twin.lockstep.parkedAt(parked)));
        if (process.equals("bdev") || process.startsWith("bdev[") || deviceFirst) {
            Refinement.DeviceStep ds = step.label().equals("readEndio") ? asyncRead(twin, step)
                    : refinement.device(twin, prev, step);
            if (ds == null) {
                return new Divergence(step, "pc of " + process, "readEndio", "no asynchronous read in flight");
            }
            BackingDevice.Irq irq = twin.bdev.complete(ds.bio(), ds.status());
            Thread t = irq.thread();
            if (ds.endio() != null) {
                twin.irqIs(t, ds.endio());
            }
            if (refinement.deviceSteps().contains(step.label()) || step.label().equals("readEndio")) {
                Lockstep.Stop s = twin.lockstep.settle(t);
                if (s != Lockstep.Stop.PARKED || !step.label().equals(twin.lockstep.parkedAt(t))) {
                    return new Divergence(step, "pc of bdev", step.label(), "the IRQ thread " + s.name().toLowerCase());
                }
                s = twin.lockstep.step(t, twin::completeReads);
                if (s == Lockstep.Stop.ASLEEP || s == Lockstep.Stop.PARKED && ds.endio() == null) {
                    return new Divergence(step, "pc of bdev", "(step ends the bio)", "the IRQ thread " + at(twin, t, s));
                }
            }
            if (ds.endio() == null) {
                irq.join();
            }
            twin.settleAll();
            return null;
        }
        Thread t = twin.threadAt(process, step.label());
        if (t == null) {
            return new Divergence(step, "process", process, "no such thread");
        }
        String at = twin.lockstep.parkedAt(t);
        if (!step.label().equals(at)) {
            return new Divergence(step, "pc of " + process, step.label(), at == null ? "(not at a label)" : at);
        }
        twin.stepped(process);
        Lockstep.Stop s = twin.lockstep.step(t, twin::completeReads);
        if (s == Lockstep.Stop.ASLEEP && !refinement.maySleep(step.label())) {
            return new Divergence(step, "pc of " + process, "(step completes)", at(twin, t, s));
        }
        twin.settleAll();
        return null;
    }

    /**
     * The device step that ends the reader's child bio (AsyncRead: ZramCommon's readEndio, every
     * design): its end_io runs within the step. Null if no child is held.
     */
    private static Refinement.DeviceStep asyncRead(JavaTwin twin, TraceStep step) {
        List<dev.zwb.bdev.Bio> reads = twin.pendingAsyncReads();
        return reads.isEmpty() ? null : new Refinement.DeviceStep(reads.get(0), 0, null);
    }

    private static String at(JavaTwin twin, Thread t, Lockstep.Stop s) {
        return s == Lockstep.Stop.ASLEEP ? "sleeps in " + twin.kernel.sleepingIn(t)
                : s == Lockstep.Stop.PARKED ? "parked at " + twin.lockstep.parkedAt(t) : "returned";
    }

    private Divergence compare(JavaTwin twin, TraceStep step) {
        Map<String, TlaValue> java = refinement.map(twin);
        Map<String, String> skip = refinement.notCompared();
        for (Map.Entry<String, TlaValue> v : step.state().entrySet()) {
            String name = v.getKey();
            if (skip.containsKey(name)) {
                continue;
            }
            TlaValue j = java.get(name);
            if (j == null) {
                throw new IllegalStateException("the " + design.id() + " mapping has no value for " + name
                        + " and does not list it as not compared");
            }
            TlaValue tlc = refinement.project(name, v.getValue(), step.state());
            TlaValue mine = refinement.project(name, j, java);
            compared++;
            if (!tlc.equals(mine)) {
                return new Divergence(step, name, tlc.toString(), mine.toString());
            }
        }
        return null;
    }

    /**
     * The twin's own checks break {@code expected}; {@code end[0]} gets what it reported. A
     * lifetime violation TLC states as "a freed object will still be touched" shows in Java as the
     * touch itself: if it has not happened yet, the pending end_ios run on to their end, and
     * KASAN must then report it.
     */
    private static boolean broken(JavaTwin twin, String expected, String[] end) {
        boolean same = breaks(twin, expected, end);
        boolean lifetime = java.util.Arrays.stream(Invariant.values())
                .anyMatch(i -> i.name().equals(expected) && i.group().equals("MemoryLifetime"));
        if (!same && lifetime) {
            runEndiosOn(twin);
            same = breaks(twin, expected, end);
            end[0] = "after the pending end_ios ran on: " + end[0];
        }
        return same;
    }

    private static boolean breaks(JavaTwin twin, String expected, String[] end) {
        List<Violation> vs = Invariants.check(twin.zram, twin.wb);
        List<Kasan.Report> reports = Kernel.observe(twin.kernel.kasan::reports);
        StringBuilder b = new StringBuilder();
        vs.forEach(v -> b.append(b.length() > 0 ? "; " : "").append(v));
        reports.stream().filter(r -> vs.stream().noneMatch(v -> v.detail().equals(r.toString())))
                .forEach(r -> b.append(b.length() > 0 ? "; " : "").append(r));
        end[0] = b.length() == 0 ? "no invariant broken" : b.toString();
        return Invariants.broken(vs).stream().anyMatch(i -> i.name().equals(expected));
    }

    /** Lets every IRQ thread still parked in an end_io take its steps to its end. */
    private static void runEndiosOn(JavaTwin twin) {
        boolean moved = true;
        while (moved) {
            moved = false;
            for (Thread t : twin.allThreads()) {
                String p = twin.processOf(t);
                if (p != null && p.startsWith("endio[") && twin.lockstep.parkedAt(t) != null) {
                    twin.lockstep.step(t, twin::completeReads);
                    moved = true;
                }
            }
        }
    }

    /** Deadlock: every unfinished process, let go from its label, sleeps without reaching another. */
    private static boolean stuck(JavaTwin twin, String[] end) {
        StringBuilder b = new StringBuilder();
        boolean all = true;
        boolean any = false;
        for (String p : twin.processNames()) {
            Thread t = twin.thread(p);
            String at = twin.lockstep.parkedAt(t);
            boolean asleep;
            if (at == null && twin.kernel.sleeping(t)) {
                at = "(asleep)";
                asleep = true;
            } else if (at == null || at.equals("done") || at.equals("envDone")) {
                continue;
            } else {
                asleep = twin.lockstep.step(t, x -> false) == Lockstep.Stop.ASLEEP;
            }
            any = true;
            Lockstep.Stop s = asleep ? Lockstep.Stop.ASLEEP : Lockstep.Stop.PARKED;
            all &= asleep;
            b.append(b.length() > 0 ? "; " : "").append(p).append(" at ").append(at)
                    .append(asleep ? " sleeps in " + twin.kernel.sleepingIn(t) : " goes on (" + s + ")");
        }
        int held = twin.bdev.pendingCount();
        if (held > 0) {
            all = false;
            b.append("; the device holds ").append(held).append(" bios");
        }
        end[0] = any ? "stuck: " + b : "no process is stuck";
        return all && any;
    }
}
