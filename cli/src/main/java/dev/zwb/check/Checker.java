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

    public Checker(Path specDir, TlcRunner runner, int jobs, PrintStream progress) {
        this.specDir = specDir;
        this.runner = runner;
        this.jobs = jobs;
        this.progress = progress;
    }

    /** Reads the config of a model, failing with one line if it is missing or lacks Switches. */
    public ModelConfig config(ModelEntry e) throws ManifestException {
        Path cfg = specDir.resolve(e.config());
        if (!Files.isRegularFile(cfg)) {
            throw new ManifestException("model " + e.model() + ": config " + cfg + " does not exist");
        }
        return ModelConfig.read(cfg);
    }

    public Verdict check(ModelEntry e) throws ManifestException, IOException, InterruptedException {
        ModelConfig cfg = config(e);
        if (!cfg.switches().equals(e.switches())) {
            throw new ManifestException("model " + e.model() + ": config switches " + cfg.switches()
                    + " differ from the manifest's " + e.switches());
        }
        TlcRunner.Job job = new TlcRunner.Job(e.model(), specDir, e.spec(), specDir.resolve(e.config()),
                e.isSimulation(), e.simDepth(), e.simTraces(), e.simSeed());
        TlcResult r = runner.run(job);
        return compare(e, cfg, r);
    }

    /** Holds a TLC result to the manifest entry. */
    public static Verdict compare(ModelEntry e, ModelConfig cfg, TlcResult r) {
        Expected x = e.expected();
        List<String> why = new ArrayList<>();
        String actualName = r.violated();
        if (r.outcome() == TlcOutcome.PROPERTY) {
            actualName = cfg.properties().size() == 1 ? cfg.properties().get(0) : "a temporal property";
        }
        String expectedOutcome = x.result();
        String actualOutcome = r.outcome().word();
        if (!expectedOutcome.equals(actualOutcome)) {
            why.add("expected " + expectedOutcome + ", TLC reported " + actualOutcome);
        } else if (x.isSuccess()) {
            if (x.distinctStates() >= 0 && x.distinctStates() != r.distinctStates()) {
                why.add("distinct states " + r.distinctStates() + ", manifest says " + x.distinctStates());
            }
            if (x.depth() >= 0 && x.depth() != r.depth()) {
                why.add("depth " + r.depth() + ", manifest says " + x.depth());
            }
        } else {
            if (x.name() != null && !x.name().equals(actualName)) {
                why.add("violated " + actualName + ", manifest says " + x.name());
            }
            if (x.traceLength() != r.traceLength()) {
                why.add("trace length " + r.traceLength() + ", manifest says " + x.traceLength());
            }
        }
        return new Verdict(e, r, actualName, why.isEmpty(), why);
    }

    /** Checks every entry, two (or {@code jobs}) at a time; rows come back in manifest order. */
    public List<Verdict> checkAll(List<ModelEntry> entries)
            throws ManifestException, IOException, InterruptedException {
        for (ModelEntry e : entries) {
            config(e); // every config is there before anything runs
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs));
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Verdict>> futures = new ArrayList<>();
            for (ModelEntry e : entries) {
                futures.add(pool.submit(() -> {
                    Verdict v = check(e);
                    progress.printf("[%d/%d] %-32s %-8s %s (%.1f s)%n", done.incrementAndGet(), entries.size(),
                            e.model(), v.match() ? "ok" : "MISMATCH", v.actualText(),
                            v.result().wallMillis() / 1000.0);
                    return v;
                }));
            }
            List<Verdict> out = new ArrayList<>();
            for (Future<Verdict> f : futures) {
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
