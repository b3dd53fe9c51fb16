package dev.zwb.tlc;

import java.nio.file.Path;
import java.util.List;

/**
 * What one TLC run established.
 *
 * @param outcome        how it ended
 * @param violated       the invariant TLC named (message 2110), else null; TLC
 *                       does not name a violated temporal property
 * @param distinctStates distinct states found (message 2199), -1 if not reported
 * @param generated      states generated, -1 if not reported
 * @param depth          depth of the state graph search (message 2194), -1 if not reported
 * @param trace          the counterexample, empty unless a violation was found
 * @param loopBackTo     for a liveness counterexample, the state the lasso returns to, else -1
 * @param exitCode       TLC's exit code (-1 when it was killed on timeout)
 * @param wallMillis     wall time of the TLC JVM
 * @param errorLine      the first line of TLC's error message when it could not check
 * @param output         where TLC's full output was kept
 * @param stuttering     a liveness counterexample that ends in stuttering (message 2218)
 * @param reached        the step labels the run took (the spec's Reach action constraint)
 * @param declaredLabels the step labels the spec declares (its StepLabels), empty if it prints none
 * @param tlcVersion     TLC's version line (message 2262), or null
 */
public record TlcResult(
        TlcOutcome outcome,
        String violated,
        long distinctStates,
        long generated,
        int depth,
        List<TraceState> trace,
        int loopBackTo,
        int exitCode,
        long wallMillis,
        String errorLine,
        Path output,
        boolean stuttering,
        java.util.SortedSet<String> reached,
        java.util.SortedSet<String> declaredLabels,
        String tlcVersion) {

    public TlcResult {
        trace = List.copyOf(trace);
        reached = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(reached));
        declaredLabels = java.util.Collections.unmodifiableSortedSet(new java.util.TreeSet<>(declaredLabels));
    }

    /** A run TLC could not finish: a timeout, before any output was read. */
    public static TlcResult timeout(long wallMillis, String why, Path output) {
        return new TlcResult(TlcOutcome.TIMEOUT, null, -1, -1, -1, List.of(), -1, -1, wallMillis, why, output,
                false, new java.util.TreeSet<>(), new java.util.TreeSet<>(), null);
    }

    /** Number of states in the counterexample. */
    public int traceLength() {
        return trace.size();
    }
}
