package dev.zwb.replay;

import dev.zwb.Repo;
import dev.zwb.check.Checker;
import dev.zwb.conform.Replay;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every failing CI model of the manifest (expected result not "success") replays on the Java
 * twin: no divergence at any step, and the twin ends as TLC did. Generated from the manifest, so
 * a new failing model replays without new test code.
 */
class ReplayManifestTest {

    @TestFactory
    Stream<DynamicTest> everyFailingCiModelReplaysOnTheJavaTwin() throws Exception {
        Manifest m = Repo.manifest();
        List<ModelEntry> failing = m.models().stream()
                .filter(e -> e.profile().equals("ci") && !e.expected().isSuccess()).toList();
        assertFalse(failing.isEmpty(), "the manifest has failing CI models");
        TraceReplayer replayer = new TraceReplayer(m.specDir(),
                new Checker(m.specDir(), Repo.runner("tlc-ci"), 1, System.out));
        return failing.stream().map(e -> DynamicTest.dynamicTest(e.model(), () -> {
            TraceReplayer.Outcome o = replayer.replay(e);
            Replay.Result r = o.result();
            System.out.printf("replay %s: %d states, %d comparisons, replay %.2f s, TLC (or its kept run) %.1f s%n",
                    e.model(), r.marks().size(), r.compared(), r.nanos() / 1e9, o.tlcMillis() / 1e3);
            assertNull(r.divergence(), e.model() + " diverges: " + r.divergence());
            assertTrue(r.sameEnd(), e.model() + ": TLC reported " + o.tlcVerdict() + ", the Java twin: " + r.end());
            assertTrue(r.marks().size() == o.trace().size() && r.marks().stream().allMatch(Replay.Mark::agrees),
                    "every step replayed and agreed");
        }));
    }
}
