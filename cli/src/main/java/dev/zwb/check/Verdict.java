package dev.zwb.check;

import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcOutcome;
import dev.zwb.tlc.TlcResult;

import java.util.List;

/**
 * One row of the verdict table: a model, what the manifest expects, what TLC
 * found, and whether the two agree (with the reasons when they do not).
 */
public record Verdict(ModelEntry entry, TlcResult result, String actualName, boolean match,
                      List<String> mismatches) {

    public Verdict {
        mismatches = List.copyOf(mismatches);
    }

    /** What TLC found, as the table prints it. */
    public String actualText() {
        TlcOutcome o = result.outcome();
        if (o == TlcOutcome.SUCCESS) {
            return "pass";
        }
        if (o.isViolation()) {
            String what = actualName != null ? actualName : o.word();
            return what + " (len " + result.traceLength() + ")";
        }
        return o.word();
    }

    public String expectedText() {
        if (entry.expected().isSuccess()) {
            return "pass";
        }
        return entry.expected().shortText() + " (len " + entry.expected().traceLength() + ")";
    }

    /** A one-line error for a run TLC could not complete, else null. */
    public String problem() {
        TlcOutcome o = result.outcome();
        if (!o.isError()) {
            return null;
        }
        return switch (o) {
            case TIMEOUT -> "model " + entry.model() + " timed out after "
                    + result.wallMillis() / 1000 + " s (raise it with --timeout SECONDS)";
            case PARSE_ERROR -> "TLC could not parse the spec of model " + entry.model() + ": " + result.errorLine();
            case CONFIG_ERROR -> "TLC rejected the config " + entry.config() + " of model " + entry.model() + ": "
                    + result.errorLine();
            default -> "TLC crashed on model " + entry.model() + " (exit " + result.exitCode() + "): "
                    + result.errorLine();
        };
    }
}
