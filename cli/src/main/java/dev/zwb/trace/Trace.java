package dev.zwb.trace;

import dev.zwb.conform.StepNames;
import dev.zwb.conform.TlaParser;
import dev.zwb.conform.TlaValue;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TraceState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A TLC counterexample as a reader follows it: each step with the process
 * that took it and the label it executed (the spec's lastStep ghost), the C
 * function the label models, and the places the step changed.
 *
 * @param steps     the steps, the initial state first
 * @param violation what the last state breaks ("NoUseAfterFree", "deadlock", ...)
 * @param loopBackTo for a liveness counterexample that loops, the state it returns to, else -1
 * @param stuttering a liveness counterexample that ends with nothing moving
 */
public record Trace(List<Step> steps, String violation, int loopBackTo, boolean stuttering) {

    /** The ghost variable that names each step; never shown as a change. */
    public static final String LAST_STEP = "lastStep";


    /**
     * One step.
     *
     * @param changes "path = value" for every place that differs from the state before
     *                (every variable for the first state)
     */
    public record Step(int number, String process, String label, String c, List<String> changes,
                       Map<String, String> state) {
    }

    public Trace {
        steps = List.copyOf(steps);
    }

    public static Trace of(TlcResult r, String violation, String design, CMap map) {
        List<Step> steps = new ArrayList<>();
        TraceState before = null;
        Map<String, TlaValue> beforeValues = Map.of();
        for (TraceState s : r.trace()) {
            Map<String, TlaValue> values = new LinkedHashMap<>();
            s.vars().forEach((k, v) -> {
                try {
                    values.put(k, TlaParser.parse(v));
                } catch (IllegalArgumentException unreadable) {
                    // a value form the reader does not know (an ad hoc spec's): shown whole, not read
                }
            });
            // the spec's lastStep, or for a spec without it the replay's reading of the counters
            String[] named = StepNames.of(beforeValues, values, s.action());
            String process = named[0];
            String label = named[1];
            List<String> changes = new ArrayList<>();
            Map<String, String> state = new LinkedHashMap<>();
            for (Map.Entry<String, String> v : s.vars().entrySet()) {
                if (v.getKey().equals(LAST_STEP)) {
                    continue;
                }
                state.put(v.getKey(), v.getValue());
                String old = before == null ? null : before.var(v.getKey());
                if (old == null) {
                    changes.add(v.getKey() + " = " + v.getValue());
                } else if (!old.equals(v.getValue())) {
                    TlaValue was = beforeValues.get(v.getKey());
                    TlaValue now = values.get(v.getKey());
                    changes.addAll(was == null || now == null ? List.of(v.getKey() + " = " + v.getValue())
                            : ValueDiff.of(v.getKey(), was, now));
                }
            }
            String c = before == null ? "" : map.text(design, label);
            steps.add(new Step(s.number(), before == null ? "init" : process, before == null ? "Init" : label, c,
                    changes, state));
            before = s;
            beforeValues = values;
        }
        return new Trace(steps, violation, r.loopBackTo(), r.stuttering());
    }

    /** The processes in the order they first act. */
    public List<String> processes() {
        List<String> out = new ArrayList<>();
        for (Step s : steps) {
            if (!s.process().equals("init") && !out.contains(s.process())) {
                out.add(s.process());
            }
        }
        return out;
    }

    /** The program counters of the last state: where each process rests or is stuck. */
    public Map<String, String> lastCounters() {
        Map<String, String> out = new LinkedHashMap<>();
        if (steps.isEmpty()) {
            return out;
        }
        steps.get(steps.size() - 1).state().forEach((k, v) -> {
            if (k.endsWith("Pc") && !k.endsWith("RetPc")) {
                out.put(k, v);
            }
        });
        return out;
    }
}
