package dev.zwb.replay;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.conform.ModelConstants;
import dev.zwb.conform.Replay;
import dev.zwb.conform.StepNames;
import dev.zwb.conform.TlaParser;
import dev.zwb.conform.TlaValue;
import dev.zwb.conform.TraceStep;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcOutcome;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TraceState;
import dev.zwb.writeback.Design;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * zwb replay's engine: runs a model's TLC counterexample, turns its states into the conformance
 * package's {@link TraceStep}s (values parsed, process and label named per step), and replays them
 * on the Java twin.
 */
public final class TraceReplayer {

    /**
     * A replay with what it replayed: TLC's verdict, its trace, and the times of both halves
     * ({@code tlcMillis}: running TLC, or finding its kept run).
     */
    public record Outcome(ModelEntry entry, String tlcVerdict, List<TraceStep> trace, Replay.Result result,
                          long tlcMillis) {
    }

    private final Path specDir;
    private final Checker checker;

    public TraceReplayer(Path specDir, Checker checker) {
        this.specDir = specDir;
        this.checker = checker;
    }

    /**
     * Runs TLC on {@code e} (or reuses the last run of the same spec and config) and replays its
     * counterexample. A model without one (TLC found nothing, or could not check it) is an
     * IllegalArgumentException naming what TLC said.
     */
    public Outcome replay(ModelEntry e) throws IOException, InterruptedException, ManifestException {
        long start = System.nanoTime();
        Verdict v = checker.checkReusing(e);
        long tlcMillis = (System.nanoTime() - start) / 1_000_000;
        TlcResult r = v.result();
        String expected;
        if (r.outcome() == TlcOutcome.INVARIANT) {
            expected = r.violated();
        } else if (r.outcome() == TlcOutcome.DEADLOCK) {
            expected = Replay.DEADLOCK;
        } else {
            throw new IllegalArgumentException(e.model() + " has no counterexample to replay: TLC says "
                    + v.actualText() + (v.problem() != null ? " (" + v.problem() + ")" : "")
                    + "; replay takes models that break an invariant or deadlock");
        }
        Design design = design(e.design());
        ModelConstants k = ModelConstants.read(specDir.resolve(e.config()));
        List<TraceStep> trace = steps(r.trace());
        Replay.Result result = Replay.run(design, k, trace, expected);
        return new Outcome(e, expected, trace, result, tlcMillis);
    }

    /** The trace with values parsed and each step's process and label named. */
    public static List<TraceStep> steps(List<TraceState> states) {
        List<TraceStep> out = new ArrayList<>();
        Map<String, TlaValue> prev = null;
        for (TraceState s : states) {
            Map<String, TlaValue> vars = new LinkedHashMap<>();
            s.vars().forEach((name, text) -> vars.put(name, TlaParser.parse(text)));
            if (prev == null) {
                out.add(new TraceStep(s.number(), null, null, vars));
            } else {
                String[] pl = StepNames.of(prev, vars, s.action());
                out.add(new TraceStep(s.number(), pl[0], pl[1], vars));
            }
            prev = vars;
        }
        return out;
    }

    static Design design(String id) {
        for (Design d : Design.values()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unknown design " + id);
    }
}
