package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.ChildCpu;
import dev.zwb.tlc.TlcJava;
import dev.zwb.tlc.TlcRunner;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;

/**
 * zwb bench: where the verdict table's time goes. First the fixed cost of a
 * TLC run (JVM start, SANY parsing the design's modules, TLC's warm-up),
 * measured per design and per JVM as the median wall time of a run whose
 * state space is a handful of states (the design's fixed model with one slot,
 * no environment and no bio errors); then the table itself, two models at a
 * time on the chosen JVM; per model its wall time and its state work (wall
 * less the fixed cost) in distinct states per second; and the lower bound of
 * the table (the state work alone, spread over the jobs) with the ratio of
 * the real wall time to it. Numbers only: nothing here passes or fails.
 *
 * With {@code --scaling MODEL}, only that model (one expected to pass), alone,
 * once per TLC worker count from 1 to the machine's cores: per count its
 * distinct states, wall time, the TLC JVM's CPU time (user + system) and
 * states per second of wall and of CPU, with the load average around the runs.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure the fixed cost of a TLC run per JVM and the verdict table's time.")
final class BenchCommand implements Callable<Integer> {

    /** What makes a model tiny: one slot, nothing beside the writeback, no failing bio. */
    static final Map<String, String> TINY = Map.of("Slots", "{1}", "EnvProcs", "{}", "BioErrors", "FALSE");

    @CommandLine.ParentCommand
    Zwb zwb;
    @CommandLine.Mixin
    Zwb.Filters filters;
    @Option(names = "--runs", defaultValue = "3", description = "runs per fixed-cost probe (median; default 3)")
    int runs;
    @Option(names = "--jobs", defaultValue = "2", description = "models checked at once in the table run (default 2)")
    int jobs;
    @Option(names = "--workers", defaultValue = "1",
            description = "TLC workers per model expected to pass in the table run (1 to the cores; default 1)")
    int workers;
    @Option(names = "--scaling", paramLabel = "MODEL",
            description = "only this model (expected to pass), alone, at 1 to --max-workers TLC workers")
    String scaling;
    @Option(names = "--max-workers", paramLabel = "N",
            description = "the most workers --scaling tries (1 to the cores; default: the cores)")
    Integer maxWorkers;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 20) {
            throw new UserError("--runs must be between 1 and 20, not " + runs);
        }
        if (jobs < 1 || jobs > 16) {
            throw new UserError("--jobs must be between 1 and 16, not " + jobs);
        }
        Manifest m = zwb.manifest();
        if (scaling != null) {
            return scaling(m);
        }
        if (maxWorkers != null) {
            throw new UserError("--max-workers goes with --scaling MODEL");
        }
        Zwb.checkedWorkers(workers);
        List<ModelEntry> table = filters.select(m);
        List<TlcJava> jvms = new ArrayList<>(List.of(TlcJava.current()));
        TlcJava chosen = TlcJava.choose();
        if (!chosen.equals(jvms.get(0))) {
            jvms.add(chosen);
        }
        Path work = zwb.root().resolve("target").resolve("bench");
        Map<String, Map<TlcJava, Double>> fixed = new LinkedHashMap<>();
        try {
            for (String design : m.designs()) {
                ModelEntry probe = m.models().stream()
                        .filter(e -> e.design().equals(design) && e.variant().equals("fixed")).findFirst().orElse(null);
                if (probe == null) {
                    continue;
                }
                for (TlcJava j : jvms) {
                    TlcRunner runner = new TlcRunner(work.resolve("jdk" + j.major()), Duration.ofMinutes(10), "4g", j);
                    Checker checker = new Checker(m.specDir(), runner, 1, System.err, TINY);
                    checker.check(probe.adHoc("tiny")); // warm-up; on JDK >= 25 it trains the AOT cache
                    List<Double> walls = new ArrayList<>();
                    for (int i = 0; i < runs; i++) {
                        walls.add(checker.check(probe.adHoc("tiny")).result().wallMillis() / 1000.0);
                    }
                    walls.sort(Double::compare);
                    fixed.computeIfAbsent(design, d -> new LinkedHashMap<>()).put(j, walls.get(walls.size() / 2));
                }
            }
            TlcRunner runner = new TlcRunner(work.resolve("table"), Duration.ofMinutes(30), "4g", chosen);
            long start = System.nanoTime();
            List<Verdict> verdicts = new Checker(m.specDir(), runner, jobs, System.err).withWorkers(workers).checkAll(table);
            double total = (System.nanoTime() - start) / 1e9;
            System.out.print(report(fixed, jvms, chosen, verdicts, total, jobs));
            if (workers > 1) {
                System.out.printf(Locale.ROOT, "TLC workers: %d per model expected to pass, 1 per failing model%n", workers);
            }
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        return Zwb.OK;
    }

    /** One run of the scaling table. */
    record ScalingRun(int workers, long distinct, double wallSeconds, double cpuSeconds) {
    }

    private Integer scaling(Manifest m) throws Exception {
        if (workers != 1) {
            throw new UserError("--scaling tries 1 to --max-workers workers; --workers goes with the table run");
        }
        if (filters.given()) {
            throw new UserError("--scaling MODEL names its model; it does not go with --design, --variant, --model or --switch");
        }
        int most = Zwb.checkedWorkers(maxWorkers == null ? Runtime.getRuntime().availableProcessors() : maxWorkers);
        ModelEntry model = Selection.select(m, List.of(), List.of(), List.of(scaling), List.of(), "all").get(0);
        if (model.expected() == null || !model.expected().isSuccess() || model.isSimulation()) {
            throw new UserError("--scaling needs an exhaustive model expected to pass; " + scaling
                    + " is not one (a failing model's counterexample is searched with 1 worker)");
        }
        TlcRunner runner = new TlcRunner(zwb.root().resolve("target").resolve("bench").resolve("scaling"),
                Duration.ofHours(2), "4g", TlcJava.choose());
        Checker checker = new Checker(m.specDir(), runner, 1, System.err);
        try {
            // a tiny run first: on JDK >= 25 it trains the AOT cache, so no timed run does
            new Checker(m.specDir(), runner, 1, System.err, TINY).check(model.adHoc("tiny"));
            double loadBefore = loadAverage();
            List<ScalingRun> rows = new ArrayList<>();
            for (int w = 1; w <= most; w++) {
                OptionalDouble cpu0 = ChildCpu.seconds();
                Verdict v = checker.withWorkers(w).check(model);
                OptionalDouble cpu1 = ChildCpu.seconds();
                if (v.problem() != null) {
                    throw new Zwb.TlcFailed(v.problem());
                }
                double cpu = cpu0.isPresent() && cpu1.isPresent() ? cpu1.getAsDouble() - cpu0.getAsDouble() : -1;
                rows.add(new ScalingRun(w, v.result().distinctStates(), v.result().wallMillis() / 1000.0, cpu));
                System.err.printf(Locale.ROOT, "%s at %d worker(s): %s%n", scaling, w, v.actualText());
            }
            System.out.print(scalingReport(model.model(), model.expected().distinctStates(), runner.java(), rows,
                    loadBefore, loadAverage()));
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        return Zwb.OK;
    }

    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    static String scalingReport(String model, long manifestDistinct, TlcJava java, List<ScalingRun> rows,
                                double loadBefore, double loadAfter) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s alone, TLC on Java %d%s, %d cores; load average %.2f before, %.2f after%n",
                model, java.major(), java.aot() ? " with an AOT cache" : "", Runtime.getRuntime().availableProcessors(),
                loadBefore, loadAfter));
        List<String[]> table = new ArrayList<>();
        table.add(new String[] {"WORKERS", "DISTINCT", "WALL", "CPU", "STATES/S", "STATES/CPU-S", "SPEEDUP"});
        double base = rows.isEmpty() ? 0 : rows.get(0).wallSeconds();
        for (ScalingRun r : rows) {
            boolean cpu = r.cpuSeconds() > 0;
            table.add(new String[] {String.valueOf(r.workers()), String.format(Locale.ROOT, "%,d", r.distinct()),
                String.format(Locale.ROOT, "%.1f s", r.wallSeconds()),
                cpu ? String.format(Locale.ROOT, "%.1f s", r.cpuSeconds()) : "",
                String.format(Locale.ROOT, "%,.0f", r.distinct() / r.wallSeconds()),
                cpu ? String.format(Locale.ROOT, "%,.0f", r.distinct() / r.cpuSeconds()) : "",
                String.format(Locale.ROOT, "%.2f", base / r.wallSeconds())});
        }
        sb.append(dev.zwb.check.VerdictTable.align(table, new boolean[] {true, true, true, true, true, true, true}));
        List<Integer> differ = rows.stream().filter(r -> r.distinct() != manifestDistinct).map(ScalingRun::workers).toList();
        sb.append(differ.isEmpty()
                ? String.format(Locale.ROOT, "distinct states: the manifest's %,d at every worker count%n", manifestDistinct)
                : String.format(Locale.ROOT, "distinct states differ from the manifest's %,d at workers %s%n",
                    manifestDistinct, differ));
        return sb.toString();
    }

    static String report(Map<String, Map<TlcJava, Double>> fixed, List<TlcJava> jvms, TlcJava chosen,
                         List<Verdict> verdicts, double total, int jobs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "machine: %d cores, %s %s; TLC on Java %d%s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                chosen.major(), chosen.aot() ? " with an AOT cache" : ""));
        sb.append(System.lineSeparator()).append("fixed cost of one TLC run (median wall time of a tiny model):")
                .append(System.lineSeparator());
        fixed.forEach((design, byJvm) -> {
            StringBuilder line = new StringBuilder(String.format("  %-10s", design));
            byJvm.forEach((j, s) -> line.append(String.format(Locale.ROOT, "  Java %d%s %.2f s", j.major(),
                    j.aot() ? "+AOT" : "", s)));
            sb.append(line).append(System.lineSeparator());
        });
        sb.append(System.lineSeparator());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"MODEL", "DISTINCT", "WALL", "FIXED", "STATES/S"});
        double work = 0;
        double fixedSum = 0;
        for (Verdict v : verdicts) {
            double wall = v.result().wallMillis() / 1000.0;
            double f = fixed.getOrDefault(v.entry().design(), Map.of()).getOrDefault(chosen, 0.0);
            double stateWork = Math.max(0, wall - f);
            work += stateWork;
            fixedSum += Math.min(wall, f);
            long distinct = v.result().distinctStates();
            rows.add(new String[] {v.entry().model(), distinct < 0 ? "" : String.format(Locale.ROOT, "%,d", distinct),
                String.format(Locale.ROOT, "%.1f s", wall), String.format(Locale.ROOT, "%.1f s", f),
                stateWork < 0.05 || distinct < 0 ? "" : String.format(Locale.ROOT, "%,.0f", distinct / stateWork)});
        }
        sb.append(dev.zwb.check.VerdictTable.align(rows, new boolean[] {false, true, true, true, true}));
        double lower = work / jobs;
        sb.append(System.lineSeparator()).append(String.format(Locale.ROOT,
                "table: %d models in %.1f s wall, %d at a time; fixed costs %.1f s, state work %.1f s%n",
                verdicts.size(), total, jobs, fixedSum, work));
        sb.append(String.format(Locale.ROOT, "lower bound (state work alone over %d jobs): %.1f s; wall / lower bound: %.2f%n",
                jobs, lower, lower > 0 ? total / lower : 0));
        return sb.toString();
    }
}
