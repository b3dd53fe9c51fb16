package dev.zwb.check;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static JsonArray mutations() throws IOException {
        return JsonParser.parseString(Files.readString(Repo.spec().resolve("mutations.json")))
                .getAsJsonObject().getAsJsonArray("mutations");
    }

    @TestFactory
    Stream<DynamicTest> everyDeletedGuardIsCaught() throws Exception {
        Manifest m = Repo.manifest();
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonElement el : mutations()) {
            JsonObject mu = el.getAsJsonObject();
            tests.add(DynamicTest.dynamicTest(mu.get("name").getAsString(), () -> check(m, mu)));
        }
        return tests.stream();
    }

    private static void check(Manifest m, JsonObject mu) throws Exception {
        String name = mu.get("name").getAsString();
        ModelEntry entry = m.models().stream().filter(e -> e.model().equals(mu.get("model").getAsString()))
                .findFirst().orElseThrow(() -> new AssertionError(name + ": no model " + mu.get("model")));
        Path copy = Path.of("target", "mutants", name).toAbsolutePath();
        copySpec(Repo.spec(), copy);
        Path file = copy.resolve(mu.get("file").getAsString());
        String text = Files.readString(file);
        String find = mu.get("find").getAsString();
        int first = text.indexOf(find);
        assertTrue(first >= 0, name + ": the guard text is no longer in " + file.getFileName() + ": " + find);
        assertEquals(-1, text.indexOf(find, first + 1), name + ": the guard text occurs more than once");
        Files.writeString(file, text.replace(find, mu.get("replace").getAsString()));

        TlcRunner runner = Repo.runner("tlc-mutants");
        TlcResult r = runner.run(TlcRunner.Job.exhaustive(name, copy, entry.spec(), copy.resolve(entry.config())));
        ModelConfig cfg = ModelConfig.read(copy.resolve(entry.config()));
        Verdict v = Checker.compare(entry, cfg, r);
        if (mu.has("harmless")) {
            assertTrue(v.match(), name + " is argued harmless (" + mu.get("harmless").getAsString()
                    + ") but changes the verdict: " + String.join("; ", v.notes()) + "; give it an expected verdict");
            return;
        }
        JsonObject x = mu.getAsJsonObject("expected");
        assertEquals(x.get("result").getAsString(), r.outcome().word(), name + ": " + v.actualText()
                + (v.problem() != null ? " — " + v.problem() : ""));
        assertEquals(x.get("name").getAsString(), v.actualName(), name);
        assertEquals(Verdict.Status.MISMATCH, v.status(), name + ": the mutation must change the model's verdict");
    }

    private static void copySpec(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
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
        for (JsonElement el : mutations()) {
            JsonObject mu = el.getAsJsonObject();
            if (mu.has("harmless")) {
                continue;
            }
            String design = mu.get("model").getAsString().split("/")[0];
            broken.add(design + ":" + mu.getAsJsonObject("expected").get("name").getAsString());
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
