package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.StepLabel;
import dev.zwb.tlc.TlcRunner;
import dev.zwb.tlc.TraceState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * zwb trace MODEL: run one model and print its counterexample step by step,
 * each step with the action (the spec label) and the variables it changed.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Run one model and print its counterexample, one step per line.")
final class TraceCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Zwb zwb;

    @Parameters(paramLabel = "MODEL", description = "design/variant, as zwb list shows")
    String model;

    @Option(names = "--markdown", description = "print a Markdown table (for docs/)")
    boolean markdown;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds allowed (default 600)")
    long timeout;

    @Override
    public Integer call() throws Exception {
        Manifest m = zwb.manifest();
        List<ModelEntry> entries = Selection.select(m, List.of(), List.of(), List.of(model), List.of(), "all");
        ModelEntry e = entries.get(0);
        TlcRunner runner = new TlcRunner(zwb.root().resolve("target").resolve("tlc"), Duration.ofSeconds(timeout), "4g");
        Verdict v;
        try {
            v = new Checker(m.specDir(), runner, 1, System.err).check(e);
        } catch (ManifestException ex) {
            throw new UserError(ex.getMessage());
        }
        if (v.problem() != null) {
            System.err.println("zwb: " + v.problem());
            return Zwb.MISMATCH;
        }
        List<TraceState> trace = v.result().trace();
        System.out.println(e.model() + ": " + v.actualText() + " — expected " + v.expectedText());
        if (trace.isEmpty()) {
            System.out.println("no counterexample: every invariant and property holds ("
                    + v.result().distinctStates() + " distinct states)");
            return v.match() ? 0 : Zwb.MISMATCH;
        }
        if (markdown) {
            System.out.println("| # | step | what changed |");
            System.out.println("|---|------|--------------|");
        }
        Map<String, String> prev = Map.of();
        TraceState before = null;
        for (TraceState s : trace) {
            String label = StepLabel.of(before, s);
            before = s;
            StringBuilder changed = new StringBuilder();
            for (Map.Entry<String, String> var : s.vars().entrySet()) {
                if (!var.getValue().equals(prev.get(var.getKey()))) {
                    if (changed.length() > 0) {
                        changed.append(markdown ? "<br>" : "; ");
                    }
                    changed.append(var.getKey()).append(" = ").append(var.getValue());
                }
            }
            if (markdown) {
                System.out.printf("| %d | `%s` | %s |%n", s.number(), label,
                        changed.toString().replace("|", "\\|"));
            } else {
                System.out.printf("%3d  %-26s %s%n", s.number(), label, changed);
            }
            prev = s.vars();
        }
        if (v.result().loopBackTo() >= 0) {
            System.out.println("... and back to state " + v.result().loopBackTo() + " (a cycle that never returns)");
        }
        return v.match() ? 0 : Zwb.MISMATCH;
    }
}
