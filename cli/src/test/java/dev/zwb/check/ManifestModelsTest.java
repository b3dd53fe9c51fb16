package dev.zwb.check;

import dev.zwb.Repo;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.docs.DocsGenerator;
import dev.zwb.docs.SpecLabels;
import dev.zwb.trace.CMap;
import dev.zwb.trace.Trace;
import dev.zwb.trace.TraceFormat;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds TLC to the manifest, strictly (as zwb check --strict): every CI model
 * is checked (two at once) and must reach exactly its recorded verdict and
 * numbers: the result, the violated invariant, the counterexample length, or
 * for a pass the distinct-state count and depth. A spec change that drifts
 * any of these fails here, so the manifest is updated with the change.
 *
 * The same runs hold the trace and reach output: every step of every failing
 * model's counterexample names a process and a declared label, the last state
 * is marked with what it violates, every run reports the labels it took, and
 * the verdict table fits 100 columns.
 */
class ManifestModelsTest {

    @TestFactory
    Stream<DynamicTest> everyCiModelMatchesItsManifestEntry() throws Exception {
        Manifest m = Repo.manifest();
        List<ModelEntry> ci = m.models().stream().filter(e -> e.profile().equals("ci")).toList();
        assertFalse(ci.isEmpty(), "the manifest has CI models");
        PrintStream progress = System.out;
        List<Verdict> verdicts = new Checker(m.specDir(), Repo.runner("tlc-ci"), 2, progress).checkAll(ci);
        CMap map = CMap.read(Repo.root());
        List<DynamicTest> tests = new ArrayList<>();
        for (Verdict v : verdicts) {
            String model = v.entry().model();
            tests.add(DynamicTest.dynamicTest(model, () ->
                    assertEquals(Verdict.Status.OK, v.status(), model + ": " + String.join("; ", v.notes())
                            + (v.problem() != null ? " (" + v.problem() + ")" : ""))));
            tests.add(DynamicTest.dynamicTest(model + " reach", () -> {
                assertFalse(v.result().declaredLabels().isEmpty(), model + ": the spec prints its StepLabels");
                assertFalse(v.result().reached().isEmpty(), model + ": the run reports the labels it took");
                assertTrue(v.result().declaredLabels().containsAll(v.result().reached()),
                        model + ": every label taken is declared: " + v.result().reached());
                // The header tables name exactly the StepLabels TLC evaluated: the design's own
                // rows are the labels that are not the environment's.
                Set<String> own = new TreeSet<>(SpecLabels.table(m.specDir().resolve(v.entry().spec() + ".tla"))
                        .keySet());
                Set<String> env = SpecLabels.table(m.specDir().resolve("ZramCommon.tla")).keySet();
                own.removeAll(SpecLabels.REST_STATES);
                Set<String> notEnv = new TreeSet<>(v.result().declaredLabels());
                notEnv.removeAll(env);
                assertEquals(own, notEnv, model + ": the spec header's label table vs its StepLabels");
            }));
            if (v.result().outcome().isViolation()) {
                tests.add(DynamicTest.dynamicTest(model + " trace", () -> readableTrace(v, map)));
            }
        }
        tests.add(DynamicTest.dynamicTest("docs and README are what zwb docs generates", () ->
                assertEquals(List.of(), new DocsGenerator(verdicts, map, ManifestModelsTest::mutated).stale(Repo.root()),
                        "stale generated sections; run ./zwb docs")));
        for (String design : m.designs()) {
            List<Verdict> runs = verdicts.stream().filter(v -> v.entry().design().equals(design)).toList();
            tests.add(DynamicTest.dynamicTest(design + ": every step label is reached by a CI model", () ->
                    assertEquals(java.util.Set.of(), Reach.unreached(runs),
                            design + ": labels no CI model takes are code no CI model checks (zwb reach)")));
        }
        tests.add(DynamicTest.dynamicTest("the table fits 100 columns", () ->
                VerdictTable.text(verdicts, false).lines()
                        .forEach(l -> assertTrue(l.length() <= 100, "over 100 columns: " + l))));
        return tests.stream();
    }

    /** Every step has a process and a declared label, and the end says what is violated. */
    /** A docs section's mutation, checked on a mutated copy of spec/ as zwb docs does. */
    private static Verdict mutated(String name) {
        try {
            Mutation mu = Mutation.named(Mutation.load(Repo.spec()), name);
            return mu.check(Repo.manifest(), Repo.runner("tlc-mutants"),
                    Path.of("target", "mutants", name).toAbsolutePath(), System.err);
        } catch (Exception e) {
            throw new AssertionError("mutation " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * The processes a spec step can name: the first argument of every Took(...) — a string, or
     * an operator defined as one (ReadDevice) — and the environment's AllEnvProcs. Read from the
     * specs, so a new process needs no edit here; indexed ones (endio[r]) are matched apart.
     */
    private static final Set<String> PROCESSES = specProcesses();

    private static Set<String> specProcesses() {
        try {
            StringBuilder text = new StringBuilder();
            try (Stream<Path> files = Files.list(Repo.spec())) {
                for (Path f : files.filter(f -> f.toString().endsWith(".tla")).toList()) {
                    text.append(Files.readString(f)).append('\n');
                }
            }
            Set<String> names = new TreeSet<>();
            Matcher took = Pattern.compile("Took\\((\"(\\w+)\"|(\\w+)),").matcher(text);
            while (took.find()) {
                if (took.group(2) != null) {
                    names.add(took.group(2));
                } else {
                    Matcher def = Pattern
                            .compile("(?m)^" + took.group(3) + " == \"([^\"]+)\"").matcher(text);
                    if (def.find()) {
                        names.add(def.group(1));
                    }
                }
            }
            Matcher env = Pattern.compile("(?m)^AllEnvProcs == \\{([^}]*)}").matcher(text);
            assertTrue(env.find(), "ZramCommon defines AllEnvProcs");
            for (String p : env.group(1).split(",")) {
                names.add(p.trim().replace("\"", ""));
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void readableTrace(Verdict v, CMap map) {
        Trace t = Trace.of(v.result(), v.actualText(), v.entry().design(), map);
        assertEquals(v.result().traceLength(), t.steps().size());
        for (Trace.Step s : t.steps().subList(1, t.steps().size())) {
            String where = v.entry().model() + " step " + s.number();
            assertTrue(s.process().matches("\\w+\\[\\d+]") || PROCESSES.contains(s.process()),
                    where + ": process " + s.process() + " is none the specs name " + PROCESSES);
            assertTrue(v.result().declaredLabels().contains(s.label()), where + ": label " + s.label());
            assertFalse(s.c().isEmpty(), where + ": docs/map.md names the C of " + s.label());
        }
        String ending = TraceFormat.ending(t).get(0);
        String name = v.actualText();
        assertTrue(name.equals("deadlock") ? ending.contains("is a deadlock") : ending.contains(name),
                v.entry().model() + ": " + ending);
    }
}
