package dev.zwb.check;

import dev.zwb.manifest.Expected;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcOutcome;
import dev.zwb.tlc.TlcResult;

import java.util.List;

/**
 * One row of the verdict table: a model, what the manifest expects, what TLC
 * found, and how the two compare. A verdict is a kind (pass, invariant,
 * property, deadlock) and the invariant or property named; the numbers
 * (distinct states, depth, trace length) are not part of it: when they move
 * under an unchanged verdict the row is DRIFT, which fails only --strict.
 */
public record Verdict(ModelEntry entry, TlcResult result, String actualName, Status status, List<String> notes) {

    public enum Status {
        /** verdict and numbers as the manifest records them */
        OK("ok"),
        /** the verdict as recorded, a number moved */
        DRIFT("drift"),
        /** another verdict than the manifest's */
        MISMATCH("MISMATCH"),
        /** TLC could not check the model (parse or config error, crash, timeout) */
        ERROR("ERROR"),
        /** an ad hoc run (--config, --set): nothing to compare with */
        ADHOC("ad hoc");

        private final String mark;

        Status(String mark) {
            this.mark = mark;
        }

        public String mark() {
            return mark;
        }
    }

    public Verdict {
        notes = List.copyOf(notes);
    }

    /** The verdict is the one the manifest records (numbers may have drifted). */
    public boolean match() {
        return status == Status.OK || status == Status.DRIFT;
    }

    /** What TLC found, as the table prints it: "pass", an invariant or property name, "deadlock". */
    public String actualText() {
        TlcOutcome o = result.outcome();
        if (o == TlcOutcome.SUCCESS) {
            return "pass";
        }
        if (o.isViolation()) {
            return actualName != null ? actualName : o.word();
        }
        return o.word();
    }

    /** What the manifest expects, or "-" for an ad hoc run. */
    public String expectedText() {
        Expected x = entry.expected();
        return x == null ? "-" : x.shortText();
    }

    /** The number the table shows beside the verdict: a counterexample's length, else null. */
    public Integer traceLength() {
        return result.outcome().isViolation() ? result.traceLength() : null;
    }

    /** A one-line error for a run TLC could not complete, else null. */
    public String problem() {
        TlcOutcome o = result.outcome();
        if (!o.isError()) {
            return null;
        }
        String log = result.output() == null ? "" : " (full log: " + result.output() + ")";
        return switch (o) {
            case TIMEOUT -> "model " + entry.model() + " timed out after "
                    + result.wallMillis() / 1000 + " s (raise it with --timeout SECONDS)";
            case PARSE_ERROR -> "model " + entry.model() + ": " + result.errorLine() + log;
            case CONFIG_ERROR -> "model " + entry.model() + ": TLC rejected the config " + entry.config() + ": "
                    + result.errorLine() + log;
            default -> "model " + entry.model() + ": TLC stopped (exit " + result.exitCode() + "): "
                    + result.errorLine() + log;
        };
    }
}
