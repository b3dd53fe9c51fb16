package dev.zwb.tlc;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One state of a TLC counterexample (-tool message 2217): its number, the
 * action that led to it ("Initial predicate" for the first) and every
 * variable's value as TLC printed it, whitespace collapsed.
 */
public record TraceState(int number, String action, Map<String, String> vars) {

    public TraceState {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }

    /** The value of one variable, or null if the state does not show it. */
    public String var(String name) {
        return vars.get(name);
    }
}
