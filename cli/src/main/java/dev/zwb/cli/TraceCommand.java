package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.trace.Trace;
import dev.zwb.trace.TraceFormat;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * zwb trace MODEL: the model's counterexample, one step per entry: the
 * process, the label it executed, the C function of that label and what the
 * step changed; the last state marked with what it violates. The last run of
 * the same spec, config and mode is reused; TLC runs only when one changed.
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
        description = "Print a model's counterexample: process, label, C function, what changed.")
final class TraceCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Zwb zwb;

    @Parameters(paramLabel = "MODEL", arity = "0..1", description = "design/variant, as zwb list shows")
    String model;

    @Option(names = "--config", paramLabel = "FILE.cfg", description = "trace this config instead, ad hoc")
    java.nio.file.Path config;

    @Option(names = "--spec", paramLabel = "SPEC", description = "the spec of --config (default: the config's design)")
    String spec;

    @CommandLine.ArgGroup(exclusive = true)
    Form form = new Form();

    static final class Form {
        @Option(names = "--markdown", description = "a Markdown table (for docs/)")
        boolean markdown;
        @Option(names = "--mermaid", description = "a Mermaid sequence diagram (for docs/)")
        boolean mermaid;
        @Option(names = "--full", description = "every variable of every state, not only what changed")
        boolean full;
    }

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "override a constant for this run (repeatable)")
    List<String> sets = new ArrayList<>();

    @Option(names = "--mutation", paramLabel = "NAME",
            description = "trace a copy of spec/ with this entry of spec/mutations.json applied (MODEL: the entry's)")
    String mutation;

    @Option(names = "--timeout", defaultValue = "600", description = "seconds allowed (default 600)")
    long timeout;

    @Override
    public Integer call() throws Exception {
        Zwb.checkedTimeout(timeout);
        Manifest m = zwb.manifest();
        java.nio.file.Path specDir = m.specDir();
        ModelEntry e;
        if (mutation != null) {
            if (config != null) {
                throw new UserError("--mutation traces the manifest's models; it does not go with --config");
            }
            Zwb.Mutated mutated = zwb.mutated(m, mutation);
            specDir = mutated.specDir();
            e = model == null ? mutated.entry()
                    : Selection.select(m, List.of(), List.of(), List.of(model), List.of(), "all").get(0);
        } else {
            if ((model == null) == (config == null)) {
                throw new UserError("zwb trace takes a MODEL, --config FILE.cfg or --mutation NAME");
            }
            e = config != null ? AdHoc.entry(zwb.root(), m, config, spec)
                    : Selection.select(m, List.of(), List.of(), List.of(model), List.of(), "all").get(0);
        }
        Map<String, String> set = Zwb.overrides(sets);
        if (!set.isEmpty()) {
            e = e.adHoc("with " + set);
        }
        Verdict v;
        try {
            Checker checker = checker(specDir, set);
            checker.job(e).configText();
            v = checker.checkReusing(e);
        } catch (ManifestException | IllegalArgumentException ex) {
            throw new UserError(ex.getMessage());
        }
        if (v.problem() != null) {
            System.err.println("zwb: " + v.problem());
            return Zwb.TLC_FAILED;
        }
        int code = Zwb.exitCode(List.of(v), false);
        if (v.entry().expected() == null) {
            code = Zwb.OK; // an ad hoc trace is asked for: printing it is the success
        }
        if (v.result().trace().isEmpty()) {
            System.out.println(e.model() + ": pass, no counterexample (" + v.result().distinctStates()
                    + " distinct states)" + (v.match() ? "" : "; the manifest expects " + v.expectedText()));
            return code;
        }
        String part = dev.zwb.check.InvariantParts.broken(zwb.runner(timeout), checker(specDir, set).job(e), v.result(),
                zwb.root().resolve("target").resolve("tlc").resolve(".parts"));
        Trace t = Trace.of(v.result(), v.actualText() + (part == null ? "" : " (part " + part + ")"), e.design(),
                zwb.cmap());
        String head = e.model() + ": " + v.actualText() + ", " + v.result().traceLength() + " states"
                + (e.expected() == null ? "" : " (manifest: " + v.expectedText() + ", "
                + e.expected().traceLength() + " states" + (v.match() ? "" : "; MISMATCH") + ")");
        if (form.markdown) {
            System.out.print(TraceFormat.markdown(t));
        } else if (form.mermaid) {
            System.out.print(TraceFormat.mermaid(t));
        } else {
            System.out.println(head);
            System.out.print(TraceFormat.text(t, form.full));
        }
        return code;
    }

    private Checker checker(java.nio.file.Path specDir, Map<String, String> set) {
        return new Checker(specDir, zwb.runner(timeout), 1, System.err, set);
    }
}
