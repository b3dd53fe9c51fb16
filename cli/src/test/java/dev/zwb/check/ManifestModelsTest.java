package dev.zwb.check;

import dev.zwb.Repo;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.PrintStream;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Holds TLC to the manifest: every CI model is checked (two at once) and must
 * reach exactly its recorded verdict: the result, the violated invariant, the
 * counterexample length, or for a pass the distinct-state count and depth.
 * A spec change that drifts any of these fails here.
 */
class ManifestModelsTest {

    @TestFactory
    Stream<DynamicTest> everyCiModelMatchesItsManifestEntry() throws Exception {
        Manifest m = Repo.manifest();
        List<ModelEntry> ci = m.models().stream().filter(e -> e.profile().equals("ci")).toList();
        assertFalse(ci.isEmpty(), "the manifest has CI models");
        PrintStream progress = System.out;
        List<Verdict> verdicts = new Checker(m.specDir(), Repo.runner("tlc-ci"), 2, progress).checkAll(ci);
        return verdicts.stream().map(v -> DynamicTest.dynamicTest(v.entry().model(), () ->
                assertTrue(v.match(), v.entry().model() + ": " + String.join("; ", v.mismatches())
                        + (v.problem() != null ? " (" + v.problem() + ")" : ""))));
    }
}
