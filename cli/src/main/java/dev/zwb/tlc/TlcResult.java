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
        Path output) {

    public TlcResult {
        trace = List.copyOf(trace);
    }

    /** Number of states in the counterexample. */
    public int traceLength() {
        return trace.size();
    }
}
