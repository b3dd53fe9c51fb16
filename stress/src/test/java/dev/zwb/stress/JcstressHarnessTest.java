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
 * <p>Default: the window-aligned tests ({@code Defective} / {@code Fixed}) of the five races
 * JCStress covers; each caught its defect in every run measured (docs/stress.md). Tag
 * {@code stress-long}: the natural races (no hold), where only (a) and (c) are asserted, and
 * the detection-rate run: every test, {@code -Dzwb.jcstress.runs=N} times (default 20), which
 * asserts (a) and (c) in every run and (b) in every run for the aligned tests (the claim that
 * puts them in the default set), and writes {@code target/stress-results/jcstress/rates-all.tsv};
 * with {@code -Dzwb.jcstress.variants=fixed} only the fixed variants run ({@code rates-fixed.tsv}).
 * Mode: {@code -Dzwb.jcstress.mode=sanity} (default) or {@code quick}.
 */
class JcstressHarnessTest {

    static final String MODE = System.getProperty("zwb.jcstress.mode", "sanity");
    static final int RUNS = Integer.getInteger("zwb.jcstress.runs", 20);
    /** The variants the rate run includes: {@code all} (default) or {@code fixed} (the fixes only). */
    static final String RATE_VARIANTS = System.getProperty("zwb.jcstress.variants", "all");
    static final Path WORK = Path.of("target", "jcstress-work").toAbsolutePath();
    static final Path OUT = Path.of("target", "stress-results", "jcstress").toAbsolutePath();
    static final String PKG = "dev.zwb.stress.jcstress.";

    /** The five JCStress races, one class each. */
    static final List<String> RACES = List.of("NoPpRecheckStress", "ReadFreeStress",
            "WbCtlUafStress", "ReqPoolUafStress", "CompletionReinitStress");

    /** The default set: test → whether it is a defective variant (must see FORBIDDEN). */
    static final Map<String, Boolean> ALIGNED = new LinkedHashMap<>();
    static final Map<String, Boolean> NATURAL = new LinkedHashMap<>();

    static {
        for (String t : RACES) {
            ALIGNED.put(t + ".Defective", true);
            ALIGNED.put(t + ".Fixed", false);
            NATURAL.put(t + ".DefectiveNatural", true);
            NATURAL.put(t + ".FixedNatural", false);
        }
    }

    static final String ALIGNED_REGEX = ".*Stress\\.(Defective|Fixed)$";
    static final String NATURAL_REGEX = ".*Stress\\.(DefectiveNatural|FixedNatural)$";

    @Test
    void alignedWindowsCatchEveryDefectAndNeverFailTheFix() throws Exception {
        Report r = run("aligned", ALIGNED_REGEX);
        check(ALIGNED, r.verdicts, true);
    }

    @Test
    @Tag("stress-long")
    void naturalRacesRunAndNeverFailTheFix() throws Exception {
        Report r = run("natural", NATURAL_REGEX);
        check(NATURAL, r.verdicts, false);
    }

    /**
     * Every test, {@link #RUNS} times: per test the runs in which it saw a FORBIDDEN outcome and
     * its FORBIDDEN / total samples over all runs, to {@code rates-VARIANTS.tsv}.
     */
    @Test
    @Tag("stress-long")
    void detectionRatesOverRepeatedRuns() throws Exception {
        Map<String, Boolean> all = new LinkedHashMap<>(ALIGNED);
        all.putAll(NATURAL);
        String regex;
        switch (RATE_VARIANTS) {
            case "all" -> regex = ".*Stress\\.(Defective|Fixed|DefectiveNatural|FixedNatural)$";
            case "fixed" -> {
                all.values().removeIf(defective -> defective);
                regex = ".*Stress\\.(Fixed|FixedNatural)$";
            }
            default -> throw new IllegalArgumentException("-Dzwb.jcstress.variants: '" + RATE_VARIANTS
                    + "' is not one of: all, fixed");
        }
        Map<String, int[]> tally = new LinkedHashMap<>();
        all.keySet().forEach(t -> tally.put(t, new int[4])); // ran, failed, forbidden, samples
        List<String> problems = new ArrayList<>();
        double secs = 0;
        for (int i = 1; i <= RUNS; i++) {
            Report r = run("rates-" + i, regex);
            secs += r.seconds;
            for (Map.Entry<String, Boolean> e : all.entrySet()) {
                String v = r.verdicts.get(PKG + e.getKey());
                int[] t = tally.get(e.getKey());
                if (v == null) {
                    problems.add("run " + i + ": " + e.getKey() + " did not run");
                    continue;
                }
                t[0]++;
                t[1] += v.equals("FAILED") ? 1 : 0;
                int[] samples = r.samples.getOrDefault(PKG + e.getKey(), new int[2]);
                t[2] += samples[0];
                t[3] += samples[1];
                boolean defective = e.getValue();
                if (!defective && !v.equals("OK")) {
                    problems.add("run " + i + ": the fixed variant " + e.getKey() + " is " + v);
                }
                if (defective && ALIGNED.containsKey(e.getKey()) && !v.equals("FAILED")) {
                    problems.add("run " + i + ": the aligned " + e.getKey() + " missed its defect ("
                            + v + "): it does not belong in the default set");
                }
            }
        }
        StringBuilder tsv = new StringBuilder(String.format(
                "# %d runs of jcstress -m %s -c 2 -f 1, %.0f s in all%n"
                        + "test\truns\truns with FORBIDDEN\tFORBIDDEN samples\tsamples%n", RUNS, MODE, secs));
        tally.forEach((t, c) -> tsv.append(String.format("%s\t%d\t%d\t%d\t%d%n", t, c[0], c[1], c[2], c[3])));
        Files.writeString(OUT.resolve("rates-" + RATE_VARIANTS + ".tsv"), tsv.toString());
        System.out.print(tsv);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
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

    /** One JCStress run: test → OK / FAILED / ERROR, test → {FORBIDDEN samples, samples}. */
    record Report(Map<String, String> verdicts, Map<String, int[]> samples, double seconds) {
    }

    /** Runs JCStress on the tests matching {@code regex}. */
    static Report run(String name, String regex) throws IOException, InterruptedException {
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
        return new Report(verdicts, samples(out), secs);
    }

    /**
     * Per test, the sample rows ({@code   1, 0   2   50.00%   Forbidden  desc}) of its "Results
     * across all configurations" table in the report's final {@code RUN RESULTS} section.
     */
    static Map<String, int[]> samples(String out) {
        int from = out.lastIndexOf("RUN RESULTS:");
        if (from < 0) {
            return Map.of();
        }
        Map<String, int[]> samples = new LinkedHashMap<>();
        Pattern verdict = Pattern.compile("\\[(OK|FAILED|ERROR)\\]\\s+(dev\\.zwb\\.\\S+)");
        Pattern row = Pattern.compile("^\\s+\\S.*?\\s+(\\d+)\\s+[\\d.]+%\\s+(Acceptable|Interesting|Forbidden)\\b");
        int[] current = null;
        for (String line : out.substring(from).split("\n")) {
            Matcher v = verdict.matcher(line);
            if (v.find()) {
                current = samples.computeIfAbsent(v.group(2), k -> new int[2]);
                continue;
            }
            Matcher r = row.matcher(line);
            if (current != null && r.find()) {
                int n = Integer.parseInt(r.group(1));
                current[1] += n;
                if (r.group(2).equals("Forbidden")) {
                    current[0] += n;
                }
            }
        }
        return samples;
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
