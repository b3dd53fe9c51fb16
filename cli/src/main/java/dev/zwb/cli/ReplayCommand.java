package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.conform.Replay;
import dev.zwb.conform.TraceStep;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.replay.TraceReplayer;
import dev.zwb.tlc.TlcRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * zwb replay MODEL: run the model's TLC counterexample on the Java twin, step by step, comparing
 * the mapped Java state with TLC's after every step; print the trace with a mark per step.
 * Exit 0: no divergence and the twin ends as TLC did; 1 otherwise.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Replay a model's TLC counterexample on the Java twin and compare every state.")
final class ReplayCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Zwb zwb;

    @Parameters(paramLabel = "MODEL", description = "design/variant of a model that fails, as zwb list shows")
    String model;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds allowed for TLC (default 600)")
    long timeout;

    @Override
    public Integer call() throws Exception {
        Zwb.checkedTimeout(timeout);
        Manifest m = zwb.manifest();
        ModelEntry e = Selection.select(m, List.of(), List.of(), List.of(model), List.of(), "all").get(0);
        if (e.expected() != null && e.expected().isSuccess()) {
            throw new UserError(e.model() + " has no counterexample: its manifest verdict is a pass; replay takes"
                    + " a model that breaks an invariant or deadlocks (zwb list shows them)");
        }
        TlcRunner runner = zwb.runner(timeout);
        TraceReplayer.Outcome o;
        try {
            o = new TraceReplayer(m.specDir(), new Checker(m.specDir(), runner, 1, System.err)).replay(e);
        } catch (ManifestException | IllegalArgumentException ex) {
            throw new UserError(ex.getMessage());
        }
        Replay.Result r = o.result();
        System.out.println(e.model() + ": TLC " + o.tlcVerdict() + " in " + o.trace().size() + " states");
        for (Replay.Mark mark : r.marks()) {
            TraceStep s = mark.step();
            System.out.printf("%3d %s %s%n", s.number(), mark.agrees() ? "agrees  " : "DIVERGES",
                    s.process() == null ? "initial state" : s.process() + ": " + s.label());
        }
        if (r.divergence() != null) {
            System.out.println("divergence: " + r.divergence());
        } else {
            System.out.println("Java twin: " + r.end());
            System.out.println(r.sameEnd() ? "same verdict as TLC (" + o.tlcVerdict() + ")"
                    : "TLC reported " + o.tlcVerdict() + "; the Java twin did not");
        }
        System.out.printf("%d comparisons; TLC (or its kept run) %.1f s, replay %.2f s%n", r.compared(),
                o.tlcMillis() / 1e3, r.nanos() / 1e9);
        return r.ok() ? 0 : Zwb.MISMATCH;
    }
}
