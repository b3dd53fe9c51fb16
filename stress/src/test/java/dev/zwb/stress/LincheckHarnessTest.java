package dev.zwb.stress;

import dev.zwb.check.Violation;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

/**
 * Lincheck model checking, one scenario per defect switch ({@link Scenario}), both directions:
 * with the switch on, Lincheck must find an interleaving whose end state (or probe) breaks the
 * invariant {@link Defect#breaks()} names, and its report must name it; with every switch off,
 * the same scenario must pass every interleaving explored.
 *
 * <p>Each run's failure report (the interleaving) is written to
 * {@code target/stress-results/lincheck/DEFECT.txt}, its digest (the lines the pages of
 * docs/defects/ condense, see {@link LincheckTraceDigest}) to {@code DEFECT.digest.txt}, and
 * the time to it to {@code target/stress-results/lincheck/times.tsv}.
 *
 * <p>Settings: see {@link LincheckRunner}, the one class that calls Lincheck's internal entry
 * point. No verdict rests on Lincheck's wall-clock hang detection: LOST_WAKEUP's task, blocked
 * for ever, is found by the model's wait graph (a WritebackReturns violation naming the sleeper),
 * and a Lincheck hang report fails every run, defective or fixed.
 *
 * <p>Budgets: {@code -Dzwb.lincheck.defective=N} (default 5000) invocations at most to find the
 * failure, {@code -Dzwb.lincheck.fixed=N} (default 5; the stress-long profile 50) invocations
 * that must all pass, {@code -Dzwb.lincheck.fixed.prefix=N} (default 610) for the scenarios that
 * start just before their race (stress-long). {@code -Dzwb.defects=A,B}: only these scenarios, each searched
 * in the default run even if its search is otherwise stress-long's.
 */
class LincheckHarnessTest {

    static final int DEFECTIVE_INVOCATIONS = Integer.getInteger("zwb.lincheck.defective", 5000);
    static final int FIXED_INVOCATIONS = Integer.getInteger("zwb.lincheck.fixed", 5);
    static final Path OUT = Path.of("target", "stress-results", "lincheck");

    @BeforeAll
    static void outputs() throws IOException {
        Files.createDirectories(OUT);
    }

    /**
     * Runs the scenario under Lincheck; the check runs on the main thread after the joins.
     * {@code runs} counts the runs of the scenario in the last attempt (Lincheck's invocations,
     * plus the replays it makes of a failing one to build its report; see
     * {@link LincheckRunner#run} for attempts).
     */
    private static void lincheck(Scenario s, Variant v, int invocations, AtomicInteger runs) {
        LincheckRunner.run(invocations, () -> {
            runs.incrementAndGet();
            List<Violation> found = s.runOnce(v);
            if (!found.isEmpty()) {
                throw new AssertionError(found.toString());
            }
        }, () -> runs.set(0));
    }

    /**
     * The defective variants the default run searches: those whose failing interleaving came in
     * under 20 s here. The rest (30 s to 6 min each; their defects are caught in the default
     * run by JCStress) are tagged stress-long. Every fixed variant runs in the default run.
     * See docs/stress.md for the times.
     */
    static final Set<Defect> FAST = EnumSet.of(Defect.NO_PP_RECHECK, Defect.READ_BLKIDX_UNLOCKED,
            Defect.NO_READ_RECHECK, Defect.LIMIT_AT_COMPLETION, Defect.WRONG_PPS_CLEAR,
            Defect.BLK_IDX_LEAK, Defect.EARLY_PP_RELEASE, Defect.PPS_NOT_OWNED);

    /**
     * Invocations the fixed variant of a scenario that starts just before its race
     * ({@link Scenario#startingJustBeforeTheRace()}) must pass: ten times the most its defect
     * needed (61 runs of the scenario, Lincheck's replays for its report included;
     * docs/stress.md).
     */
    static final int FIXED_PREFIX_INVOCATIONS = Integer.getInteger("zwb.lincheck.fixed.prefix", 610);

    /** {@code -Dzwb.defects=A,B}: only these scenarios (default: all). */
    static final String DEFECTS = System.getProperty("zwb.defects", "");
    static final Set<Defect> SELECTED = selected(DEFECTS);

    static Set<Defect> selected(String list) {
        if (list.isBlank()) {
            return EnumSet.allOf(Defect.class);
        }
        Set<Defect> out = EnumSet.noneOf(Defect.class);
        for (String name : list.split(",")) {
            out.add(Defect.parse(name.trim())); // an unknown name: one line naming the accepted ones
        }
        return out;
    }

    static Stream<Defect> all() {
        return EnumSet.allOf(Defect.class).stream().filter(SELECTED::contains);
    }

    /**
     * The searches of the default run: the fast ones, or, with {@code -Dzwb.defects=}, every
     * defect named (a slow one is searched too: it was asked for by name).
     */
    static Stream<Defect> fast() {
        return DEFECTS.isBlank() ? FAST.stream() : all();
    }

    /** The searches only stress-long adds: the slow ones, unless defects were named. */
    static Stream<Defect> slow() {
        return DEFECTS.isBlank() ? EnumSet.complementOf(EnumSet.copyOf(FAST)).stream() : Stream.empty();
    }

    // Test factories, not parameterized tests: a selection may leave either list empty, which a
    // parameterized test reports as a configuration error with a stack trace.

    @TestFactory
    Stream<DynamicTest> defectiveFails() {
        return fast().map(d -> dynamicTest(d + ": the defective variant fails, naming its invariant",
                () -> defective(d)));
    }

    @TestFactory
    @Tag("stress-long")
    Stream<DynamicTest> defectiveFailsSlow() {
        return slow().map(d -> dynamicTest(d + ": the defective variant fails, naming its invariant (slow)",
                () -> defective(d)));
    }

    /**
     * The three endio races from the state just before the race, both directions (stress-long:
     * each search takes a minute or more here, and the fixed variants get
     * {@link #FIXED_PREFIX_INVOCATIONS}).
     */
    @TestFactory
    @Tag("stress-long")
    Stream<DynamicTest> fromJustBeforeTheRace() {
        return Scenario.startingJustBeforeTheRace().stream().filter(sc -> SELECTED.contains(sc.defect))
                .flatMap(sc -> Stream.of(
                        dynamicTest(sc.name + " from just before the race: the defective variant fails",
                                () -> defective(sc, ".prefix")),
                        dynamicTest(sc.name + " from just before the race: the fixed variant passes",
                                () -> fixed(sc, FIXED_PREFIX_INVOCATIONS))));
    }

    @ParameterizedTest(name = "{0}: the fixed variant passes")
    @MethodSource("all")
    void fixedPasses(Defect d) throws IOException {
        fixed(Scenario.of(d), FIXED_INVOCATIONS);
    }

    static Stream<String> fixedOnly() {
        return Scenario.fixedOnly().stream().map(sc -> sc.name);
    }

    @ParameterizedTest(name = "{0}: the fixed paths pass")
    @MethodSource("fixedOnly")
    void fixedOnlyScenarioPasses(String name) throws IOException {
        fixed(Scenario.fixedOnly().stream().filter(sc -> sc.name.equals(name)).findFirst().orElseThrow(),
                FIXED_INVOCATIONS);
    }

    private static void defective(Defect d) throws IOException {
        defective(Scenario.of(d), "");
    }

    /** {@code suffix}: added to the names of the output files and to the times. */
    private static void defective(Scenario s, String suffix) throws IOException {
        Defect d = s.defect;
        long t0 = System.nanoTime();
        AssertionError caught = null;
        AtomicInteger runs = new AtomicInteger();
        try {
            lincheck(s, s.defective(), DEFECTIVE_INVOCATIONS, runs);
        } catch (AssertionError e) {
            caught = e;
        } catch (IndexOutOfBoundsException e) {
            // Lincheck 3.7 found a failure, replayed it to collect the trace, and its trace
            // builder failed (TraceNodes.traceToTree): seen once for COMPLETION_REINIT
            fail(d + ": Lincheck found a failing interleaving but crashed while rendering its "
                    + "report, so the invariant cannot be checked: " + e, e);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        if (caught == null) {
            fail(d + ": no failing interleaving in " + DEFECTIVE_INVOCATIONS + " invocations; the "
                    + "scenario needs this: " + s.story);
        }
        assertEquals("org.jetbrains.lincheck.LincheckAssertionError", caught.getClass().getName(),
                "the failure must be Lincheck's report, not an error of the harness: " + caught);
        String msg = String.valueOf(caught.getMessage());
        Files.writeString(OUT.resolve(d + suffix + ".txt"), msg, StandardCharsets.UTF_8);
        Files.writeString(OUT.resolve(d + suffix + ".digest.txt"), LincheckTraceDigest.digest(msg),
                StandardCharsets.UTF_8);
        Files.writeString(OUT.resolve("times.tsv"),
                String.format("%s%s\tdefective\t%.1f\t%d%n", d, suffix, secs, runs.get()), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        assertTrue(msg.contains("= Concurrent test failed ="), d + ": " + firstLines(msg));
        if (d.breaks().equals("WritebackReturns")) {
            // liveness: the model's wait graph, not a timeout, found the task asleep for ever
            assertTrue(msg.contains("asleep in wait_event on zram_wb_ctl")
                    && msg.contains("nothing is left to wake it"), d + ": " + firstLines(msg));
        }
        // The report must name the invariant; PPS_NOT_OWNED's first failing interleaving may show
        // only the use-after-free half of its group (the second reaping reads the pp-slot the
        // first one freed), so the group counts.
        String group = dev.zwb.check.Invariant.valueOf(d.breaks()).group();
        assertTrue(msg.contains(d.breaks()) || (d == Defect.PPS_NOT_OWNED && msg.contains(group + "/")),
                d + " must break " + d.breaks() + ": " + firstLines(msg));
    }

    private static void fixed(Scenario s, int budget) throws IOException {
        long t0 = System.nanoTime();
        AtomicInteger runs = new AtomicInteger();
        lincheck(s, s.fixed(), budget, runs);
        double secs = (System.nanoTime() - t0) / 1e9;
        Files.writeString(OUT.resolve("times.tsv"),
                String.format("%s%s\tfixed(%d)\t%.1f\t%d%n", s.name, s.prefix == null ? "" : ".prefix", budget,
                        secs, runs.get()),
                StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static String firstLines(String msg) {
        String[] lines = msg.split("\n");
        return String.join("\n", java.util.Arrays.copyOf(lines, Math.min(8, lines.length)));
    }
}
