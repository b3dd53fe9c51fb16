package dev.zwb.check;

import dev.zwb.Repo;
import dev.zwb.manifest.Expected;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelConfig;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TlcRunner;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Deleting a guard from a spec must make TLC fail. Each mutation of
 * spec/mutations.json is applied to a copy of spec/ and the model it names
 * must then reach another verdict than its manifest entry: the named
 * invariant or property fails (a moved state count alone does not count as
 * caught). A mutation that carries "harmless" (the argument why, at the CI
 * bounds) must instead keep the model's verdict, so the argument is checked
 * too and is revisited when the bounds change. With the defect-switch models
 * of the manifest this shows that no invariant of a fixed variant is one
 * that cannot fail.
 */
class GuardMutationTest {

    @TestFactory
    Stream<DynamicTest> everyDeletedGuardIsCaught() throws Exception {
        Manifest m = Repo.manifest();
        List<DynamicTest> tests = new ArrayList<>();
        for (Mutation mu : Mutation.load(Repo.spec())) {
            tests.add(DynamicTest.dynamicTest(mu.name(), () -> check(m, mu)));
        }
        return tests.stream();
    }

    private static void check(Manifest m, Mutation mu) throws Exception {
        String name = mu.name();
        ModelEntry entry = m.models().stream().filter(e -> e.model().equals(mu.model()))
                .findFirst().orElseThrow(() -> new AssertionError(name + ": no model " + mu.model()));
        Path copy = mu.applyTo(Repo.spec(), Path.of("target", "mutants", name).toAbsolutePath());

        TlcRunner runner = Repo.runner("tlc-mutants");
        TlcResult r = runner.run(TlcRunner.Job.exhaustive(name, copy, entry.spec(), copy.resolve(entry.config())));
        ModelConfig cfg = ModelConfig.read(copy.resolve(entry.config()));
        Verdict v = Checker.compare(entry, cfg, r);
        if (mu.harmless() != null) {
            assertTrue(v.match(), name + " is argued harmless (" + mu.harmless()
                    + ") but changes the verdict: " + String.join("; ", v.notes()) + "; give it an expected verdict");
            return;
        }
        assertEquals(mu.expectedResult(), r.outcome().word(), name + ": " + v.actualText()
                + (v.problem() != null ? " — " + v.problem() : ""));
        assertEquals(mu.expectedName(), v.actualName(), name);
        assertEquals(Verdict.Status.MISMATCH, v.status(), name + ": the mutation must change the model's verdict");
    }

    @Test
    void aMutationWhoseTextIsGoneIsOneLineNamingIt() throws Exception {
        Mutation gone = new Mutation("gone", "ZramSingle.tla", "no such guard text", "FALSE", "single/fixed",
                "invariant", "Reads", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> gone.applyTo(Repo.spec(), Path.of("target", "mutants", "gone").toAbsolutePath()));
        assertEquals("gone: the guard text is no longer in ZramSingle.tla: no such guard text", e.getMessage());
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Mutation.named(Mutation.load(Repo.spec()), "no-such-mutation"));
        assertTrue(unknown.getMessage().startsWith("no mutation 'no-such-mutation' in spec/mutations.json; accepted: "),
                unknown.getMessage());
    }

    /**
     * Every invariant and property a design's fixed models check is broken by
     * some model of the manifest or some guard deletion: none is vacuous.
     */
    @Test
    void noCheckedInvariantIsOneThatCannotFail() throws Exception {
        Manifest m = Repo.manifest();
        Set<String> broken = new TreeSet<>();
        for (ModelEntry e : m.models()) {
            Expected x = e.expected();
            if (x.name() != null) {
                broken.add(e.design() + ":" + x.name());
            }
        }
        for (Mutation mu : Mutation.load(Repo.spec())) {
            if (mu.harmless() == null) {
                broken.add(mu.model().split("/")[0] + ":" + mu.expectedName());
            }
        }
        List<String> vacuous = new ArrayList<>();
        for (ModelEntry e : m.models()) {
            if (!e.variant().startsWith("fixed")) {
                continue;
            }
            ModelConfig cfg = ModelConfig.read(m.specDir().resolve(e.config()));
            List<String> checked = new ArrayList<>(cfg.invariants());
            checked.addAll(cfg.properties());
            for (String inv : checked) {
                if (inv.startsWith("TypeOK")) {
                    continue; // a type invariant documents the state space; it guards nothing
                }
                if (!broken.contains(e.design() + ":" + inv)) {
                    vacuous.add(e.model() + " checks " + inv);
                }
            }
        }
        if (!vacuous.isEmpty()) {
            fail("invariants that no model or mutation breaks: " + vacuous);
        }
    }
}
