package dev.zwb.validate;

import dev.zwb.conform.ModelConstants;
import dev.zwb.conform.Refinement;
import dev.zwb.conform.TlaValue;
import dev.zwb.conform.Validation;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TlcRunner;
import dev.zwb.writeback.Design;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongFunction;
import java.util.regex.Matcher;

/**
 * zwb validate's engine: one seeded run of the Java twin ({@link Validation}), its log written as
 * a trace-checking module ({@link TraceModule}) beside a copy of the spec's modules, and TLC's
 * verdict on it: accepted when the breadth-first search reaches the log's last entry; else the
 * first entry the spec cannot reach, with the variables that differ from every spec successor.
 */
public final class TraceValidator {

    private static final java.util.regex.Pattern DIFF =
            java.util.regex.Pattern.compile("<<\\s*\"zwb-diff\",\\s*(\\d+),\\s*(\\d+),\\s*(\\{[^}]*\\})\\s*>>");
    private static final java.util.regex.Pattern AT =
            java.util.regex.Pattern.compile("<<\\s*\"zwb-at\",\\s*(\\d+),\\s*(\\d+)\\s*>>");
    private static final java.util.regex.Pattern STRING = java.util.regex.Pattern.compile("\"([A-Za-z_][\\w-]*)\"");

    /**
     * One validated run.
     *
     * @param run       the Java run and its log
     * @param accepted  TLC followed the whole log
     * @param reached   the deepest log entry (1-based) TLC matched; 0 if not even the first
     * @param differs   for a rejected run: the variables that differ, at entry reached + 1, from
     *                  every spec successor that takes the logged step (empty: the spec has no
     *                  such step there at all)
     * @param tlc       TLC's result (of the runs checked together)
     * @param tlcMillis TLC's wall time, shared among the runs it checked
     */
    public record Result(Validation.Run run, boolean accepted, int reached, TreeSet<String> differs, TlcResult tlc,
                         long tlcMillis) {

        /** The first log entry the spec cannot follow (1-based), or -1 when accepted. */
        public int failing() {
            return accepted ? -1 : reached + 1;
        }

        /** One line naming the first step the spec cannot take. */
        public String rejection() {
            if (accepted) {
                return "accepted";
            }
            Validation.Entry e = run.log().get(reached);
            String what = reached == 0 ? "the initial state" : "step " + reached + " (" + e + ")";
            return what + ": " + (differs.isEmpty() ? "the spec has no such step from the states before it"
                    : "no spec successor matches; " + String.join(", ", differs) + " differ"
                    + (differs.size() == 1 ? "s" : "") + " from every one");
        }
    }

    private final Path specDir;
    private final Path workDir;
    private final TlcRunner runner;
    private final List<TlaValue.Str> spellings;

    /**
     * @param specDir the spec's modules
     * @param workDir where each run's trace module is written (a directory per run)
     * @param runner  runs TLC
     */
    public TraceValidator(Path specDir, Path workDir, TlcRunner runner) throws IOException {
        this.specDir = specDir;
        this.workDir = workDir;
        this.runner = runner;
        this.spellings = spellings(specDir);
    }

    /** Runs the twin of model {@code config} of {@code design} with {@code seed} and has TLC check its log. */
    public Result validate(Design design, Path config, long seed) throws IOException, InterruptedException {
        return validate(design, config, List.of(seed)).get(0);
    }

    /** As above, one run per seed, all checked by one TLC run. */
    public List<Result> validate(Design design, Path config, List<Long> seeds) throws IOException, InterruptedException {
        ModelConstants k = constants(config);
        return validate(design, config, seeds, s -> Validation.run(design, k, s));
    }

    /** As above, one run of the twin; the run made by {@code twin} (for a test's fixture: a twin changed to diverge). */
    public Result validate(Design design, Path config, long seed, LongFunction<Validation.Run> twin)
            throws IOException, InterruptedException {
        return validate(design, config, List.of(seed), twin).get(0);
    }

    public List<Result> validate(Design design, Path config, List<Long> seeds, LongFunction<Validation.Run> twin)
            throws IOException, InterruptedException {
        Refinement refinement = Refinement.of(design);
        List<Validation.Run> runs = new ArrayList<>();
        List<List<Validation.Entry>> logs = new ArrayList<>();
        List<List<Map<String, Pattern>>> patterns = new ArrayList<>();
        for (long seed : seeds) {
            Validation.Run run = twin.apply(seed);
            runs.add(run);
            logs.add(run.log());
            List<Map<String, Pattern>> p = new ArrayList<>();
            for (Validation.Entry e : run.log()) {
                p.add(e.state() == null ? null : Pattern.of(refinement, e.state(), spellings));
            }
            patterns.add(p);
        }
        String name = config.getFileName().toString().replace(".cfg", "");
        Path dir = workDir.resolve(design.id() + "-" + name + "-seed" + seeds.get(0)
                + (seeds.size() > 1 ? "-" + seeds.get(seeds.size() - 1) : ""));
        Files.createDirectories(dir);
        try (var modules = Files.list(specDir)) {
            for (Path m : modules.filter(p -> p.toString().endsWith(".tla")).toList()) {
                Files.copy(m, dir.resolve(m.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.writeString(dir.resolve(TraceModule.NAME + ".tla"),
                TraceModule.text(specModule(design), logs, patterns), StandardCharsets.UTF_8);
        Path cfg = dir.resolve(TraceModule.NAME + ".cfg");
        Files.writeString(cfg, TraceModule.config(constantsSection(config)), StandardCharsets.UTF_8);
        TlcResult r = runner.run(TlcRunner.Job.exhaustive("validate-" + design.id(), dir, TraceModule.NAME, cfg));
        if (r.outcome().isError() || r.outcome().isViolation()) {
            throw new IllegalStateException("TLC could not check the trace module in " + dir + ": "
                    + r.outcome().word() + (r.errorLine() != null ? " (" + r.errorLine() + ")" : ""));
        }
        String out = Files.readString(r.output(), StandardCharsets.UTF_8); // TLC may wrap a long value
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            Validation.Run run = runs.get(i);
            int reached = reached(out, i + 1);
            boolean accepted = reached == run.log().size();
            TreeSet<String> differs = accepted ? new TreeSet<>() : differs(out, i + 1, reached + 1);
            results.add(new Result(run, accepted, reached, differs, r, r.wallMillis() / runs.size()));
        }
        return results;
    }

    /** The deepest entry of run {@code run} TLC matched (its "zwb-at" lines), 0 if none. */
    private static int reached(String output, int run) {
        int max = 0;
        Matcher m = AT.matcher(output);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == run) {
                max = Math.max(max, Integer.parseInt(m.group(2)));
            }
        }
        return max;
    }

    /** The variables that differ in every spec successor TLC printed for entry {@code entry} of run {@code run}. */
    private static TreeSet<String> differs(String output, int run, int entry) {
        TreeSet<String> common = null;
        Matcher m = DIFF.matcher(output);
        while (m.find()) {
            if (Integer.parseInt(m.group(1)) == run && Integer.parseInt(m.group(2)) == entry) {
                TreeSet<String> vars = new TreeSet<>();
                Matcher s = STRING.matcher(m.group(3));
                while (s.find()) {
                    vars.add(s.group(1));
                }
                if (common == null) {
                    common = vars;
                } else {
                    common.retainAll(vars);
                }
            }
        }
        return common == null ? new TreeSet<>() : common;
    }

    /** The design's spec module. */
    static String specModule(Design design) {
        return switch (design) {
            case SINGLE -> "ZramSingle";
            case MULTIPAGE -> "ZramMultipage";
            case BATCHED -> "ZramBatched";
        };
    }

    static ModelConstants constants(Path config) {
        try {
            return ModelConstants.read(config);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The CONSTANTS section of a model's .cfg, as written. */
    static String constantsSection(Path config) throws IOException {
        StringBuilder b = new StringBuilder();
        boolean in = false;
        for (String line : Files.readAllLines(config, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("\\*") || t.isEmpty()) {
                continue;
            }
            if (t.matches("[A-Z_]+(\\s.*)?")) {
                in = t.startsWith("CONSTANT");
            }
            if (in) {
                b.append(line).append('\n');
            }
        }
        return b.toString();
    }

    /** Every string literal of the spec's modules: the spellings a string leaf may have in the spec. */
    private static List<TlaValue.Str> spellings(Path specDir) throws IOException {
        TreeSet<String> out = new TreeSet<>();
        try (var modules = Files.list(specDir)) {
            for (Path m : modules.filter(p -> p.toString().endsWith(".tla")).sorted().toList()) {
                Matcher s = STRING.matcher(Files.readString(m, StandardCharsets.UTF_8));
                while (s.find()) {
                    out.add(s.group(1));
                }
            }
        }
        return out.stream().map(TlaValue.Str::new).toList();
    }
}
