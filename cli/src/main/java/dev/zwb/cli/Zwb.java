package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.check.VerdictTable;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.MissingToolError;
import dev.zwb.tlc.TlcRunner;
import dev.zwb.trace.CMap;
import dev.zwb.trace.Trace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * zwb: model-check the zram writeback designs and hold TLC to the manifest.
 *
 * Exit codes (the README lists them too):
 * 0 every verdict is the manifest's (numbers may drift, unless --strict);
 *   an ad hoc run found no violation;
 * 1 a verdict differs from the manifest's, or a number drifted under --strict;
 *   an ad hoc run found a violation;
 * 2 bad input: an unknown name, a bad option or number, a missing or malformed file;
 * 3 TLC could not check a model: a parse or config error, a crash, a timeout;
 * 4 zwb's environment is incomplete: the TLC jar is missing (the launcher also
 *   uses 4 when Maven cannot build the CLI).
 */
@Command(name = "zwb", mixinStandardHelpOptions = true, versionProvider = Zwb.Version.class,
        description = "Model-checked reference for zram's writeback path.",
        subcommands = {Zwb.Check.class, Zwb.ListCmd.class, TraceCommand.class, ReachCommand.class, DocsCommand.class,
            BenchCommand.class, ReplayCommand.class, ValidateCommand.class, CommandLine.HelpCommand.class})
public final class Zwb implements Callable<Integer> {

    public static final String VERSION = "0.2.0";
    static final int OK = 0;
    static final int MISMATCH = 1;
    static final int BAD_INPUT = 2;
    static final int TLC_FAILED = 3;
    static final int ENVIRONMENT = 4;
    /** The longest --timeout accepted: a week. */
    static final long MAX_TIMEOUT = 7L * 24 * 3600;

    @Option(names = "--root", description = "repository root (default: the current directory)")
    Path root;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String tlc;
            String tlcJava;
            try {
                tlc = TlcRunner.tlaToolsJar().getFileName().toString();
                dev.zwb.tlc.TlcJava j = dev.zwb.tlc.TlcJava.choose();
                tlcJava = "TLC runs on Java " + j.major() + (j.aot() ? " with an AOT cache" : "") + ": " + j.binary();
            } catch (MissingToolError e) {
                tlc = "missing";
                tlcJava = e.getMessage();
            }
            return new String[] {"zwb " + VERSION + " (TLC: " + tlc + ", Java " + System.getProperty("java.version") + ")",
                tlcJava};
        }
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

    TlcRunner runner(long timeoutSeconds) {
        return new TlcRunner(root().resolve("target").resolve("tlc"), Duration.ofSeconds(timeoutSeconds), "4g");
    }

    CMap cmap() {
        try {
            return CMap.read(root());
        } catch (IOException e) {
            throw new UserError("docs/map.md cannot be read: " + e.getMessage());
        }
    }

    /** A copy of spec/ with one mutation applied, and the manifest entry of the mutation's model. */
    record Mutated(dev.zwb.check.Mutation mutation, Path specDir, ModelEntry entry) {
    }

    /** Applies the entry {@code name} of spec/mutations.json to target/mutants/NAME. */
    Mutated mutated(Manifest m, String name) {
        try {
            dev.zwb.check.Mutation mu = dev.zwb.check.Mutation.named(dev.zwb.check.Mutation.load(m.specDir()), name);
            return new Mutated(mu, mu.applyTo(m.specDir(), mutantDir(name)), mu.entry(m));
        } catch (IllegalArgumentException | IOException ex) {
            throw new UserError(ex.getMessage());
        }
    }

    /** Where the mutated copy of spec/ for mutation {@code name} is written. */
    Path mutantDir(String name) {
        return root().resolve("target").resolve("mutants").resolve(name);
    }

    static long checkedTimeout(long timeout) {
        if (timeout <= 0 || timeout > MAX_TIMEOUT) {
            throw new UserError("--timeout must be between 1 and " + MAX_TIMEOUT + " seconds, not " + timeout);
        }
        return timeout;
    }

    /** Options that pick models, shared by check, trace and reach. */
    static final class Filters {
        @Option(names = "--design", description = "only this design (repeatable)")
        List<String> designs = new ArrayList<>();
        @Option(names = "--variant", description = "only this variant (repeatable)")
        List<String> variants = new ArrayList<>();
        @Option(names = "--model", description = "only this model, design/variant (repeatable)")
        List<String> models = new ArrayList<>();
        @Option(names = "--switch", description = "only models with this defect switch on (repeatable, any case)")
        List<String> switches = new ArrayList<>();
        @Option(names = "--profile", defaultValue = "ci",
                description = "ci (default), large, or all")
        String profile;

        List<ModelEntry> select(Manifest m) {
            return Selection.select(m, designs, variants, models, switches, profile);
        }

        /** Whether any model filter was given. */
        boolean given() {
            return !designs.isEmpty() || !variants.isEmpty() || !models.isEmpty() || !switches.isEmpty();
        }
    }

    /** How long each TLC run may take and how many run at once; shared by check and reach. */
    static final class RunOptions {
        @Option(names = "--timeout", defaultValue = "1800", description = "seconds allowed per model (default 1800)")
        long timeout;
        @Option(names = "--jobs", defaultValue = "2", description = "models checked at once (default 2)")
        int jobs;
        @Option(names = "--workers", defaultValue = "1",
                description = "TLC workers per model expected to pass (1 to the cores; default 1); failing models keep 1")
        int workers;

        void validate() {
            checkedTimeout(timeout);
            if (jobs < 1 || jobs > 16) {
                throw new UserError("--jobs must be between 1 and 16, not " + jobs);
            }
            checkedWorkers(workers);
        }
    }

    /** A TLC worker count: 1 to this machine's cores. */
    static int checkedWorkers(int workers) {
        int cores = Runtime.getRuntime().availableProcessors();
        if (workers < 1 || workers > cores) {
            throw new UserError("--workers must be between 1 and " + cores + " (this machine's cores), not " + workers);
        }
        return workers;
    }

    /** TLC could not check a model that a command needs: its one-line problem, exit 3. */
    static final class TlcFailed extends RuntimeException {
        TlcFailed(String problem) {
            super(problem);
        }
    }

    /**
     * The verdicts of these models, reusing kept runs of unchanged specs and configs (reach,
     * docs); a model TLC could not check stops the command with its problem (exit 3).
     */
    List<Verdict> verdictsReusing(Manifest m, List<ModelEntry> models, RunOptions run) throws Exception {
        List<Verdict> verdicts;
        try {
            verdicts = new Checker(m.specDir(), runner(run.timeout), run.jobs, System.err).withWorkers(run.workers)
                    .checkAll(models, true);
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        for (Verdict v : verdicts) {
            if (v.problem() != null) {
                throw new TlcFailed(v.problem());
            }
        }
        return verdicts;
    }

    /** --set NAME=VALUE, repeatable: constants overridden for this run only. */
    static Map<String, String> overrides(List<String> sets) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String s : sets) {
            try {
                Map.Entry<String, String> e = dev.zwb.tlc.ConfigOverrides.parse(s);
                out.put(e.getKey(), e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new UserError(ex.getMessage());
            }
        }
        return out;
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Run TLC on every selected model and print the verdict table.")
    static final class Check implements Callable<Integer> {
        @CommandLine.ParentCommand
        Zwb zwb;
        @CommandLine.Mixin
        Filters filters;
        @Option(names = "--json", description = "print the verdicts as JSON (schema " + VerdictTable.JSON_SCHEMA + ")")
        boolean json;
        @Option(names = "--wide", description = "add the switches and the expected verdict to the table")
        boolean wide;
        @Option(names = "--strict", description = "a drifted state count, depth or trace length fails (exit 1)")
        boolean strict;
        @Option(names = "--config", paramLabel = "FILE.cfg",
                description = "check this config, ad hoc: no manifest comparison")
        Path config;
        @Option(names = "--spec", paramLabel = "SPEC",
                description = "the spec of --config: a design or a module name (default: the config's design)")
        String spec;
        @Option(names = "--set", paramLabel = "NAME=VALUE",
                description = "override a constant of the selected configs, for this run only (repeatable)")
        List<String> sets = new ArrayList<>();
        @Option(names = "--mutation", paramLabel = "NAME",
                description = "check a copy of spec/ with this entry of spec/mutations.json applied (default model: the entry's)")
        String mutation;
        @CommandLine.Mixin
        RunOptions run;

        @Override
        public Integer call() throws Exception {
            run.validate();
            Manifest m = zwb.manifest();
            Map<String, String> set = overrides(sets);
            List<ModelEntry> selected;
            Path specDir = m.specDir();
            if (mutation != null) {
                if (config != null) {
                    throw new UserError("--mutation checks the manifest's models; it does not go with --config");
                }
                Mutated mutated = zwb.mutated(m, mutation);
                specDir = mutated.specDir();
                selected = filters.given() ? filters.select(m) : List.of(mutated.entry());
            } else if (config != null) {
                selected = List.of(AdHoc.entry(zwb.root(), m, config, spec));
            } else {
                if (spec != null) {
                    throw new UserError("--spec goes with --config FILE.cfg");
                }
                selected = filters.select(m);
            }
            if (!set.isEmpty()) {
                String note = "with " + String.join(", ", set.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
                selected = selected.stream().map(e -> e.adHoc(note)).toList();
            }
            TlcRunner runner = zwb.runner(run.timeout);
            PrintStream progress = System.err;
            Instant started = Instant.now();
            long start = System.nanoTime();
            Checker checker = new Checker(specDir, runner, run.jobs, progress, set).withWorkers(run.workers);
            List<Verdict> verdicts;
            try {
                verdicts = checker.checkAll(selected);
            } catch (ManifestException e) {
                throw new UserError(e.getMessage());
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            for (Verdict v : verdicts) {
                if (v.problem() != null) {
                    System.err.println("zwb: " + v.problem());
                }
            }
            CMap map = zwb.cmap();
            System.out.print(json
                    ? VerdictTable.json(verdicts, started, seconds, VERSION,
                        v -> Trace.of(v.result(), v.actualText(), v.entry().design(), map)) + System.lineSeparator()
                    : VerdictTable.text(verdicts, wide));
            progress.printf("zwb check: %d models in %.1f s%n", verdicts.size(), seconds);
            return exitCode(verdicts, strict);
        }
    }

    /** The exit code of a set of verdicts, as the class comment lists them. */
    static int exitCode(List<Verdict> verdicts, boolean strict) {
        if (verdicts.stream().anyMatch(v -> v.status() == Verdict.Status.ERROR)) {
            return TLC_FAILED;
        }
        for (Verdict v : verdicts) {
            switch (v.status()) {
                case MISMATCH -> {
                    return MISMATCH;
                }
                case DRIFT -> {
                    if (strict) {
                        return MISMATCH;
                    }
                }
                case ADHOC -> {
                    if (v.result().outcome().isViolation()) {
                        return MISMATCH;
                    }
                }
                default -> {
                }
            }
        }
        return OK;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Name the models, their profile, expected verdict and switches.")
    static final class ListCmd implements Callable<Integer> {
        @CommandLine.ParentCommand
        Zwb zwb;
        @Option(names = "--wide", description = "all switches and each model's note")
        boolean wide;

        @Override
        public Integer call() {
            Manifest m = zwb.manifest();
            List<String[]> rows = new ArrayList<>();
            rows.add(wide ? new String[] {"MODEL", "PROFILE", "EXPECTED", "SWITCHES", "NOTE"}
                    : new String[] {"MODEL", "PROFILE", "EXPECTED", "SWITCHES"});
            for (ModelEntry e : m.models()) {
                String expected = e.expected().shortText()
                        + (e.expected().traceLength() >= 0 ? " (" + e.expected().traceLength() + ")" : "");
                String sw = VerdictTable.switchCell(e.switchText(), wide);
                rows.add(wide ? new String[] {e.model(), e.profile(), expected, sw, e.note()}
                        : new String[] {e.model(), e.profile(), expected, sw});
            }
            System.out.print(VerdictTable.align(rows, new boolean[rows.get(0).length]));
            StringBuilder line = new StringBuilder("switches:");
            for (String sw : m.switches()) {
                if (line.length() + sw.length() + 2 > 100) {
                    System.out.println(line.toString().stripTrailing());
                    line = new StringBuilder("         ");
                }
                line.append(' ').append(sw).append(',');
            }
            System.out.println(line.substring(0, line.length() - 1));
            return 0;
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code; every failure is one line on stderr. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Zwb());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, a) -> {
            System.err.println("zwb: " + parameterMessage(ex) + " (see zwb help)");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, command, parsed) -> {
            if (ex instanceof UserError) {
                System.err.println("zwb: " + ex.getMessage());
                return BAD_INPUT;
            }
            if (ex instanceof TlcFailed) {
                System.err.println("zwb: " + ex.getMessage());
                return TLC_FAILED;
            }
            if (ex instanceof MissingToolError) {
                System.err.println("zwb: " + ex.getMessage());
                return ENVIRONMENT;
            }
            String msg = ex.getMessage() == null ? "an internal error" : ex.getMessage();
            System.err.println("zwb: " + dev.zwb.tlc.ToolOutputParser.clean(msg.replaceAll("\\s+", " ")));
            return TLC_FAILED;
        });
        return cl.execute(args);
    }

    /** picocli's message, with a suggestion for a mistyped command and without argument indexes. */
    private static String parameterMessage(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String given = u.getUnmatched().get(0);
            CommandLine cmd = u.getCommandLine();
            if (!given.startsWith("-") && cmd.getSubcommands().size() > 0) {
                return Suggest.unknown("command", given, cmd.getSubcommands().keySet(), "");
            }
            return "unknown " + (given.startsWith("-") ? "option" : "argument") + " '" + given + "' for "
                    + cmd.getCommandName();
        }
        String msg = ex.getMessage() == null ? "bad arguments" : ex.getMessage();
        return msg.replaceAll("\\s+", " ").replaceAll(" at index \\d+", "").trim();
    }
}
