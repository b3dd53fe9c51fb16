package dev.zwb.conform;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One state of a TLC trace, as the replay reads it: its number, the process and the spec label
 * of the step that led to it (null for the initial state), and every variable's value.
 */
public record TraceStep(int number, String process, String label, Map<String, TlaValue> state) {

    public TraceStep {
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    public TlaValue var(String name) {
        TlaValue v = state.get(name);
        if (v == null) {
            throw new IllegalArgumentException("state " + number + " has no variable " + name);
        }
        return v;
    }

    @Override
    public String toString() {
        return number + " " + (process == null ? "init" : process + ": " + label);
    }
}
