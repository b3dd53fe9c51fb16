package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
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

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 20) {
            throw new UserError("--runs must be between 1 and 20, not " + runs);
        }
        if (jobs < 1 || jobs > 16) {
            throw new UserError("--jobs must be between 1 and 16, not " + jobs);
        }
        Manifest m = zwb.manifest();
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
            List<Verdict> verdicts = new Checker(m.specDir(), runner, jobs, System.err).checkAll(table);
            double total = (System.nanoTime() - start) / 1e9;
            System.out.print(report(fixed, jvms, chosen, verdicts, total, jobs));
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        return Zwb.OK;
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
