package dev.zwb.cli;

import dev.zwb.conform.Validation;
import dev.zwb.validate.TraceValidator;
import dev.zwb.writeback.Design;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * zwb validate: runs the Java twin of a model with a seeded random scheduler, logs every step
 * (process, label, mapped state) and has TLC check that the log is a behaviour of the spec. Exit 0
 * when every run is accepted, 1 when one is rejected (the first step the spec cannot take is named).
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Run the Java twin with a seeded scheduler and have TLC check each run against the spec.")
final class ValidateCommand implements Callable<Integer> {

    /** Runs checked by one TLC run (one JVM start for all of them). */
    static final int BATCH = 10;

    /** The most runs one call makes. */
    static final int MAX_RUNS = 10_000;

    @CommandLine.ParentCommand
    Zwb zwb;

    @Option(names = "--design", required = true, description = "single, multipage or batched")
    String design;

    @Option(names = "--runs", defaultValue = "1", description = "runs, seeds S, S+1, ... (default 1)")
    int runs;

    @Option(names = "--seed", defaultValue = "1", description = "the first run's seed (default 1)")
    long seed;

    @Option(names = "--variant", description = "the model spec/models/DESIGN/VARIANT.cfg (default fixed)")
    String variant;

    @Option(names = "--config", description = "a model .cfg of the design instead of a variant")
    Path config;

    @Option(names = "--timeout", defaultValue = "600",
            description = "seconds allowed for each TLC run, which checks up to ten runs (default 600)")
    long timeout;

    @Override
    public Integer call() throws Exception {
        Zwb.checkedTimeout(timeout);
        Design d = Arrays.stream(Design.values()).filter(x -> x.id().equals(design)).findFirst()
                .orElseThrow(() -> new UserError(Suggest.unknown("design", design,
                        Arrays.stream(Design.values()).map(Design::id).toList(), "")));
        if (runs < 1 || runs > MAX_RUNS) {
            throw new UserError("--runs must be between 1 and " + MAX_RUNS + ", not " + runs);
        }
        Path specDir = zwb.manifest().specDir();
        Path cfg = model(specDir, d);
        TraceValidator validator = new TraceValidator(specDir, zwb.root().resolve("target").resolve("tlc")
                .resolve("validate"), zwb.runner(timeout));
        int rejected = 0;
        long start = System.nanoTime();
        long tlcMillis = 0;
        for (long first = seed; first < seed + runs; first += BATCH) {
            List<Long> seeds = new ArrayList<>();
            for (long s = first; s < Math.min(first + BATCH, seed + runs); s++) {
                seeds.add(s);
            }
            List<TraceValidator.Result> results;
            try {
                results = validator.validate(d, cfg, seeds);
            } catch (IllegalArgumentException e) {
                throw new UserError(e.getMessage());
            }
            for (TraceValidator.Result r : results) {
                rejected += report(d, cfg, r);
            }
            tlcMillis += results.get(0).tlc().wallMillis();
            if (runs == 1) {
                System.out.printf("TLC %.1f s, %d states%n", tlcMillis / 1e3, results.get(0).tlc().distinctStates());
            }
        }
        if (runs > 1) {
            System.out.printf("%d of %d runs accepted in %.1f s (TLC %.1f s)%n", runs - rejected, runs,
                    (System.nanoTime() - start) / 1e9, tlcMillis / 1e3);
        }
        return rejected == 0 ? Zwb.OK : Zwb.MISMATCH;
    }

    /** Prints one run's line (and a rejected run's steps); 1 if it was rejected. */
    private static int report(Design d, Path cfg, TraceValidator.Result r) {
        Validation.Run run = r.run();
        System.out.printf("%s seed %d: %d steps, %s (Java %.2f s); TLC %s%n", d.id() + "/"
                + cfg.getFileName().toString().replace(".cfg", ""), run.seed(), run.steps(),
                run.finished() ? "every process returned" : run.end(), run.nanos() / 1e9,
                r.accepted() ? "accepts" : "REJECTS " + r.rejection());
        if (r.accepted()) {
            return 0;
        }
        for (int i = 0; i < run.log().size() && i <= r.reached(); i++) {
            System.out.printf("  %3d %s %s%n", i + 1, i < r.reached() ? "agrees " : "REJECTS", run.log().get(i));
        }
        return 1;
    }

    /** The model's .cfg: --config, else --variant of the design (fixed by default). */
    private Path model(Path specDir, Design d) {
        if (config != null && variant != null) {
            throw new UserError("--variant and --config exclude each other; give one");
        }
        if (config != null) {
            if (!Files.isRegularFile(config) || !config.toString().endsWith(".cfg")) {
                throw new UserError("--config " + config + " is not a readable .cfg file");
            }
            return config.toAbsolutePath();
        }
        String v = variant == null ? "fixed" : variant;
        Path dir = specDir.resolve("models").resolve(d.id());
        Path cfg = dir.resolve(v + ".cfg");
        if (!v.matches("[\\w-]+") || !Files.isRegularFile(cfg)) {
            String known;
            try (var files = Files.list(dir)) {
                known = files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".cfg"))
                        .map(f -> f.replace(".cfg", "")).sorted().collect(Collectors.joining(", "));
            } catch (java.io.IOException e) {
                known = "(cannot list " + dir + ")";
            }
            throw new UserError("unknown variant '" + v + "' of " + d.id() + "; accepted: " + known);
        }
        return cfg;
    }
}
