package dev.zwb.check;

import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelConfig;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.manifest.Expected;
import dev.zwb.tlc.TlcOutcome;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TlcRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks models against the manifest: runs TLC on each (up to {@code jobs}
 * at once) and compares the result with the expected verdict.
 */
public final class Checker {

    private final Path specDir;
    private final TlcRunner runner;
    private final int jobs;
    private final PrintStream progress;
    private final Map<String, String> overrides;
    private final int workers;

    public Checker(Path specDir, TlcRunner runner, int jobs, PrintStream progress) {
        this(specDir, runner, jobs, progress, Map.of());
    }

    /** A checker whose runs override constants of every config (zwb check --set). */
    public Checker(Path specDir, TlcRunner runner, int jobs, PrintStream progress, Map<String, String> overrides) {
        this(specDir, runner, jobs, progress, overrides, 1);
    }

    private Checker(Path specDir, TlcRunner runner, int jobs, PrintStream progress, Map<String, String> overrides,
                    int workers) {
        this.specDir = specDir;
        this.runner = runner;
        this.jobs = jobs;
        this.progress = progress;
        this.overrides = Map.copyOf(overrides);
        this.workers = workers;
    }

    /** This checker with {@code n} TLC workers per run for the models {@link #workersFor} lets have them. */
    public Checker withWorkers(int n) {
        return new Checker(specDir, runner, jobs, progress, overrides, n);
    }

    /**
     * TLC workers for a model. A model the manifest expects to fail, and a simulation, keep
     * one: with one worker the counterexample is a shortest one, whose length the manifest
     * holds (and the Java twin replays), and a seeded simulation repeats. A model expected to
     * pass, or an ad hoc one, gets this checker's workers: its distinct-state count is the
     * same with any number.
     */
    public int workersFor(ModelEntry e) {
        boolean failing = e.expected() != null && !e.expected().isSuccess();
        return failing || e.isSimulation() ? 1 : workers;
    }

    /** Reads the config of a model, failing with one line if it is missing or lacks Switches. */
    public ModelConfig config(ModelEntry e) throws ManifestException {
        Path cfg = specDir.resolve(e.config());
        if (!Files.isRegularFile(cfg)) {
            throw new ManifestException("model " + e.model() + ": config " + cfg + " does not exist");
        }
        return ModelConfig.read(cfg);
    }

    /** The TLC job for a model: its spec and config, with this checker's overrides. */
    public TlcRunner.Job job(ModelEntry e) {
        return new TlcRunner.Job(e.model(), specDir, e.spec(), specDir.resolve(e.config()), overrides,
                e.isSimulation(), e.simDepth(), e.simTraces(), e.simSeed(), workersFor(e));
    }

    public Verdict check(ModelEntry e) throws ManifestException, IOException, InterruptedException {
        return compare(e, checkedConfig(e), runner.run(job(e)));
    }

    /** Like check, but reuses the last run of exactly this spec, config and mode when there is one. */
    public Verdict checkReusing(ModelEntry e) throws ManifestException, IOException, InterruptedException {
        ModelConfig cfg = checkedConfig(e);
        TlcResult kept = runner.cached(job(e));
        return compare(e, cfg, kept != null ? kept : runner.run(job(e)));
    }

    private ModelConfig checkedConfig(ModelEntry e) throws ManifestException {
        ModelConfig cfg = config(e);
        if (e.expected() != null && !cfg.switches().equals(e.switches())) {
            throw new ManifestException("model " + e.model() + ": config switches " + cfg.switches()
                    + " differ from the manifest's " + e.switches());
        }
        return cfg;
    }

    /**
     * Holds a TLC result to the manifest entry: the verdict (kind and name)
     * must be the recorded one; the numbers under it may drift.
     */
    public static Verdict compare(ModelEntry e, ModelConfig cfg, TlcResult r) {
        String actualName = r.violated();
        if (r.outcome() == TlcOutcome.PROPERTY) {
            actualName = cfg.properties().size() == 1 ? cfg.properties().get(0) : "a temporal property";
        }
        Expected x = e.expected();
        if (r.outcome().isError()) {
            return new Verdict(e, r, actualName, Verdict.Status.ERROR, List.of());
        }
        if (x == null) {
            return new Verdict(e, r, actualName, Verdict.Status.ADHOC, e.note().isEmpty() ? List.of() : List.of(e.note()));
        }
        List<String> notes = new ArrayList<>();
        if (!x.result().equals(r.outcome().word()) || x.name() != null && !x.name().equals(actualName)) {
            String found = r.outcome() == TlcOutcome.SUCCESS ? "pass"
                    : r.outcome().word() + (actualName != null ? " " + actualName : "");
            String wanted = x.isSuccess() ? "pass" : x.result() + (x.name() != null ? " " + x.name() : "");
            notes.add("expected " + wanted + ", TLC found " + found);
            return new Verdict(e, r, actualName, Verdict.Status.MISMATCH, notes);
        }
        if (x.isSuccess()) {
            drift(notes, "distinct states", x.distinctStates(), r.distinctStates());
            drift(notes, "depth", x.depth(), r.depth());
        } else {
            drift(notes, "trace length", x.traceLength(), r.traceLength());
        }
        return new Verdict(e, r, actualName, notes.isEmpty() ? Verdict.Status.OK : Verdict.Status.DRIFT, notes);
    }

    /** The work a model is expected to take: a pass's recorded state count; failures stop early. */
    private static long expectedStates(ModelEntry e) {
        return e.expected() == null ? Long.MAX_VALUE : Math.max(0, e.expected().distinctStates());
    }

    private static void drift(List<String> notes, String what, long recorded, long now) {
        if (recorded >= 0 && recorded != now) {
            notes.add(String.format(java.util.Locale.ROOT, "%s %,d -> %,d (manifest -> now)", what, recorded, now));
        }
    }

    /** Checks every entry, two (or {@code jobs}) at a time; rows come back in manifest order. */
    public List<Verdict> checkAll(List<ModelEntry> entries)
            throws ManifestException, IOException, InterruptedException {
        return checkAll(entries, false);
    }

    /** Checks every entry, reusing kept runs of unchanged specs and configs when reuse is set. */
    public List<Verdict> checkAll(List<ModelEntry> entries, boolean reuse)
            throws ManifestException, IOException, InterruptedException {
        for (ModelEntry e : entries) {
            config(e); // every config is there, and every --set names one of its constants,
            job(e).configText(); // before anything runs
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        AtomicInteger done = new AtomicInteger();
        try {
            // the biggest models start first, so that the last two jobs end together;
            // the rows still come back in manifest order
            List<ModelEntry> order = new ArrayList<>(entries);
            order.sort(java.util.Comparator.comparingLong(Checker::expectedStates).reversed());
            java.util.Map<ModelEntry, Future<Verdict>> byEntry = new java.util.IdentityHashMap<>();
            for (ModelEntry e : order) {
                byEntry.put(e, pool.submit(() -> {
                    Verdict v = reuse ? checkReusing(e) : check(e);
                    progress.printf("[%d/%d] %-32s %-8s %s (%.1f s)%n", done.incrementAndGet(), entries.size(),
                            e.model(), v.status().mark(), v.actualText(), v.result().wallMillis() / 1000.0);
                    return v;
                }));
            }
            List<Verdict> out = new ArrayList<>();
            for (ModelEntry e : entries) {
                Future<Verdict> f = byEntry.get(e);
                try {
                    out.add(f.get());
                } catch (ExecutionException ex) {
                    Throwable c = ex.getCause();
                    if (c instanceof ManifestException me) {
                        throw me;
                    }
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    throw new IllegalStateException(c);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
