package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.check.VerdictTable;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * zwb: model-check the zram writeback designs and hold TLC to the manifest.
 * Exit codes: 0 every model matches; 1 a mismatch, or TLC could not check a
 * model; 2 bad input (unknown name, bad option, missing or malformed file).
 */
@Command(name = "zwb", mixinStandardHelpOptions = true, version = "zwb 0.1.0",
        description = "Model-checked reference for zram's writeback path.",
        subcommands = {Zwb.Check.class, Zwb.ListCmd.class, TraceCommand.class, ReplayCommand.class})
public final class Zwb implements Callable<Integer> {

    static final int MISMATCH = 1;
    static final int BAD_INPUT = 2;

    @Option(names = "--root", description = "repository root (default: the current directory)")
    Path root;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    Path root() {
        Path r = root != null ? root : Path.of(System.getProperty("zwb.root", "."));
        return r.toAbsolutePath().normalize();
    }

    Manifest manifest() {
        Path spec = root().resolve("spec");
        if (!Files.isDirectory(spec)) {
            throw new UserError("no spec/ directory under " + root() + "; run zwb from the repository root");
        }
        try {
            return Manifest.load(spec);
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
    }

    /** Options that pick models, shared by check and trace. */
    static final class Filters {
        @Option(names = "--design", description = "only this design (repeatable)")
        List<String> designs = new ArrayList<>();
        @Option(names = "--variant", description = "only this variant (repeatable)")
        List<String> variants = new ArrayList<>();
        @Option(names = "--model", description = "only this model, design/variant (repeatable)")
        List<String> models = new ArrayList<>();
        @Option(names = "--switch", description = "only models with this defect switch on (repeatable)")
        List<String> switches = new ArrayList<>();
        @Option(names = "--profile", defaultValue = "ci",
                description = "ci (default), large, or all")
        String profile;

        List<ModelEntry> select(Manifest m) {
            return Selection.select(m, designs, variants, models, switches, profile);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run TLC on every selected model and print the verdict table.")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        Zwb zwb;
        @CommandLine.Mixin
        Filters filters;
        @Option(names = "--json", description = "print the verdicts as JSON")
        boolean json;
        @Option(names = "--timeout", defaultValue = "1800", description = "seconds allowed per model (default 1800)")
        long timeout;
        @Option(names = "--jobs", defaultValue = "2", description = "models checked at once (default 2)")
        int jobs;

        @Override
        public Integer call() throws Exception {
            if (timeout <= 0) {
                throw new UserError("--timeout must be a positive number of seconds, not " + timeout);
            }
            if (jobs < 1 || jobs > 16) {
                throw new UserError("--jobs must be between 1 and 16, not " + jobs);
            }
            Manifest m = zwb.manifest();
            List<ModelEntry> selected = filters.select(m);
            Path work = zwb.root().resolve("target").resolve("tlc");
            TlcRunner runner = new TlcRunner(work, Duration.ofSeconds(timeout), "4g");
            PrintStream progress = System.err;
            long start = System.nanoTime();
            List<Verdict> verdicts;
            try {
                verdicts = new Checker(m.specDir(), runner, jobs, progress).checkAll(selected);
            } catch (ManifestException e) {
                throw new UserError(e.getMessage());
            }
            for (Verdict v : verdicts) {
                if (v.problem() != null) {
                    System.err.println("zwb: " + v.problem());
                }
            }
            System.out.print(json ? VerdictTable.json(verdicts) + System.lineSeparator() : VerdictTable.text(verdicts));
            progress.printf("zwb check: %d models in %.1f s%n", verdicts.size(), (System.nanoTime() - start) / 1e9);
            return verdicts.stream().allMatch(Verdict::match) ? 0 : MISMATCH;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Name the designs, their variants and the defect switches.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        Zwb zwb;

        @Override
        public Integer call() {
            Manifest m = zwb.manifest();
            for (String d : m.designs()) {
                System.out.println(d);
                for (ModelEntry e : m.models()) {
                    if (e.design().equals(d)) {
                        System.out.printf("  %-22s %-6s %-46s %s%n", e.variant(), e.profile(), e.switchText(),
                                e.note());
                    }
                }
            }
            System.out.println("switches: " + String.join(", ", m.switches()));
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; every failure is one line on stderr. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Zwb());
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("zwb: " + ex.getMessage().replaceAll("\\s+", " ").trim()
                    + " (see zwb --help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            if (ex instanceof UserError) {
                System.err.println("zwb: " + ex.getMessage());
                return BAD_INPUT;
            }
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            System.err.println("zwb: " + msg.replaceAll("\\s+", " ").trim());
            return 3;
        });
        return cl.execute(args);
    }
}
