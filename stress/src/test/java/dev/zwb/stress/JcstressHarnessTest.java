package dev.zwb.stress;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the JCStress tests of {@code dev.zwb.stress.jcstress} in a child JVM
 * ({@code org.openjdk.jcstress.Main}, classpath from this JVM's {@code java.class.path}, working
 * directory {@code target/jcstress-work}) and reads its console report, asserting for each
 * expected test that (a) it ran, (b) a defective variant saw a FORBIDDEN outcome (JCStress
 * reports it FAILED), (c) a fixed variant did not.
 *
 * <p>Default: the window-aligned tests of NO_PP_RECHECK and READ_BLKIDX_UNLOCKED, which caught
 * their defect in every run measured (docs/stress.md). Tag {@code stress-long}: WbCtlUafStress
 * (caught in some runs only) and the natural races; that test asserts (a) and (c) only and
 * writes what it saw to {@code target/stress-results/jcstress/long.summary}. Mode:
 * {@code -Dzwb.jcstress.mode=sanity} (default) or {@code quick}.
 */
class JcstressHarnessTest {

    static final String MODE = System.getProperty("zwb.jcstress.mode", "sanity");
    static final Path WORK = Path.of("target", "jcstress-work").toAbsolutePath();
    static final Path OUT = Path.of("target", "stress-results", "jcstress").toAbsolutePath();
    static final String PKG = "dev.zwb.stress.jcstress.";

    /** The default set: test class → whether it must see a FORBIDDEN outcome. */
    static final Map<String, Boolean> ALIGNED = new LinkedHashMap<>();
    static final Map<String, Boolean> NATURAL = new LinkedHashMap<>();

    static {
        for (String t : List.of("NoPpRecheckStress", "ReadFreeStress")) {
            ALIGNED.put(t + ".Defective", true);
            ALIGNED.put(t + ".Fixed", false);
        }
        // caught only in some runs (docs/stress.md): the long set, where only the fix is asserted
        NATURAL.put("WbCtlUafStress.Defective", true);
        NATURAL.put("WbCtlUafStress.Fixed", false);
        for (String t : List.of("NoPpRecheckStress", "WbCtlUafStress", "ReadFreeStress")) {
            NATURAL.put(t + ".DefectiveNatural", true);
            NATURAL.put(t + ".FixedNatural", false);
        }
    }

    @Test
    void alignedWindowsCatchEveryDefectAndNeverFailTheFix() throws Exception {
        Map<String, String> verdicts = run("aligned", ".*(NoPpRecheckStress|ReadFreeStress)\\.(Defective|Fixed)$");
        check(ALIGNED, verdicts, true);
    }

    @Test
    @Tag("stress-long")
    void longSetRunsAndNeverFailsTheFix() throws Exception {
        Map<String, String> verdicts = run("long", ".*(WbCtlUafStress\\.(Defective|Fixed)|Stress\\.(DefectiveNatural|FixedNatural))$");
        check(NATURAL, verdicts, false);
    }

    private static void check(Map<String, Boolean> expected, Map<String, String> verdicts,
                              boolean defectiveMustFail) {
        List<String> problems = new ArrayList<>();
        expected.forEach((test, defective) -> {
            String v = verdicts.get(PKG + test);
            if (v == null) {
                problems.add(test + ": did not run");
            } else if (defective && defectiveMustFail && !v.equals("FAILED")) {
                problems.add(test + ": no FORBIDDEN outcome seen (" + v + ")");
            } else if (!defective && !v.equals("OK")) {
                problems.add(test + ": the fixed variant is " + v);
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\nverdicts: " + verdicts);
    }

    /** Runs JCStress on the tests matching {@code regex}; returns test → OK / FAILED / ERROR. */
    static Map<String, String> run(String name, String regex) throws IOException, InterruptedException {
        Files.createDirectories(WORK);
        Files.createDirectories(OUT);
        String cp = System.getProperty("java.class.path");
        Files.writeString(WORK.resolve("classpath.txt"), cp);
        Path log = OUT.resolve(name + ".log");
        List<String> cmd = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", cp, "org.openjdk.jcstress.Main",
                "-t", regex, "-m", MODE, "-c", "2", "-f", "1", "-v",
                "-r", OUT.resolve("results-" + name).toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).directory(WORK.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(15, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("JCStress did not finish in 15 minutes; see " + log);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        String out = Files.readString(log, StandardCharsets.UTF_8);
        Map<String, String> verdicts = parse(out);
        StringBuilder summary = new StringBuilder();
        summary.append(String.format("# %s: jcstress -m %s, exit %d, %.1f s%n", name, MODE, p.exitValue(), secs));
        verdicts.forEach((t, v) -> summary.append(t).append('\t').append(v).append('\n'));
        Files.writeString(OUT.resolve(name + ".summary"), summary.toString());
        System.out.print(summary);
        assertTrue(!verdicts.isEmpty(), "JCStress ran nothing: " + log);
        boolean anyFailed = verdicts.containsValue("FAILED");
        assertEquals(anyFailed ? 1 : 0, p.exitValue() == 0 ? 0 : 1,
                "exit code and report disagree; see " + log);
        return verdicts;
    }

    /**
     * Reads the per-test lines of the console report ({@code ...... [OK] name}, {@code [FAILED]},
     * {@code [ERROR]}); with {@code -v} JCStress 0.16 prints every test in its final summary.
     * A test seen FAILED in any configuration stays FAILED.
     */
    static Map<String, String> parse(String out) {
        Map<String, String> verdicts = new LinkedHashMap<>();
        Matcher m = Pattern.compile("\\[(OK|FAILED|ERROR)\\]\\s+(dev\\.zwb\\.\\S+)").matcher(out);
        while (m.find()) {
            String prev = verdicts.get(m.group(2));
            if (prev == null || !prev.equals("FAILED")) {
                verdicts.put(m.group(2), m.group(1));
            }
        }
        return verdicts;
    }
}
