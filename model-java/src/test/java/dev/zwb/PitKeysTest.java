package dev.zwb;

import dev.zwb.PitKeys.Justified;
import dev.zwb.PitKeys.Key;
import dev.zwb.PitKeys.Mutation;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key of pit-equivalent.tsv and the tally of the pit profile, on small hand-written PIT
 * reports (no PIT run): a justification follows its mutant when the mutant's line moves, the
 * occurrence tells identical mutants of one method apart and does not shift when another is
 * killed, a line whose mutant is killed is stale, and a bad line is one clear message.
 */
class PitKeysTest {

    private static final String A = "dev.zwb.writeback.A";
    private static final String NEG = "negated conditional";
    private static final String CALL_X = "removed call to dev/zwb/kernel/K::x";

    private static String mutation(String status, String cls, String method, int line, int index,
                                   String mutator, String description) {
        return "<mutation detected='" + !status.equals("SURVIVED") + "' status='" + status + "'>"
                + "<sourceFile>A.java</sourceFile><mutatedClass>" + cls + "</mutatedClass>"
                + "<mutatedMethod>" + method + "</mutatedMethod><lineNumber>" + line + "</lineNumber>"
                + "<mutator>org.pitest.mutationtest.engine.gregor.mutators." + mutator + "</mutator>"
                + "<indexes><index>" + index + "</index></indexes><description>" + description
                + "</description></mutation>\n";
    }

    private static List<Mutation> report(String... mutations) throws Exception {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mutations>\n" + String.join("", mutations)
                + "</mutations>\n";
        return PitKeys.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static Map<Key, Justified> tsv(String... lines) throws Exception {
        return PitKeys.parse(List.of(lines), "pit-equivalent.tsv");
    }

    /** Three identical negations in run(), listed out of source order; the middle one survives. */
    private static List<Mutation> threeNegations(int firstLine, String middleStatus) throws Exception {
        return report(
                mutation("KILLED", A, "run", firstLine + 7, 40, "NegateConditionalsMutator", NEG),
                mutation(middleStatus, A, "run", firstLine + 3, 21, "NegateConditionalsMutator", NEG),
                mutation("KILLED", A, "run", firstLine, 5, "NegateConditionalsMutator", NEG),
                mutation("SURVIVED", A, "run", firstLine + 3, 30, "VoidMethodCallMutator", CALL_X));
    }

    @Test
    void identicalMutantsOfAMethodAreNumberedInSourceOrderOverEveryStatus() throws Exception {
        List<Mutation> ms = threeNegations(100, "SURVIVED");
        assertEquals(List.of(3, 2, 1, 1), ms.stream().map(m -> m.key().occurrence()).toList(),
                "line, then bytecode index; the removed call is another description, so its own first");
        assertEquals("dev.zwb.writeback", ms.get(0).pkg());
        assertEquals("dev.zwb.writeback", PitKeys.packageOf("dev.zwb.writeback.A$Inner"));
    }

    @Test
    void aJustificationFollowsItsMutantWhenTheLinesMove() throws Exception {
        Map<Key, Justified> j = tsv(A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t2\t103\tthe reason");
        PitSurvivors.Tally before = PitSurvivors.tally(threeNegations(100, "SURVIVED"), j);
        assertEquals(1, before.byPackage().get("dev.zwb.writeback").justified);
        assertEquals(List.of(), before.movedHints());

        PitSurvivors.Tally moved = PitSurvivors.tally(threeNegations(140, "SURVIVED"), j);
        assertEquals(1, moved.byPackage().get("dev.zwb.writeback").justified, "40 lines further down, same mutant");
        assertEquals(List.of(), moved.stale());
        assertEquals(1, moved.movedHints().size());
        assertTrue(moved.movedHints().get(0).endsWith("line 103 is now 143"), moved.movedHints().get(0));
    }

    @Test
    void aKilledJustifiedMutantIsStaleAndAnUnjustifiedSurvivorIsNamed() throws Exception {
        Map<Key, Justified> j = tsv(
                A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t2\t103\tthe reason",
                A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t1\t100\tkilled: stale");
        PitSurvivors.Tally t = PitSurvivors.tally(threeNegations(100, "KILLED"), j);
        assertEquals(List.of(1, 2), t.stale().stream().map(s -> s.key().occurrence()).sorted().toList(),
                "neither line justifies a survivor any more");
        assertEquals(List.of(CALL_X), t.unjustified().stream().map(m -> m.key().description()).toList());
        PitSurvivors.Counts c = t.byPackage().get("dev.zwb.writeback");
        assertEquals(4, c.mutants);
        assertEquals(3, c.detected);
        assertEquals(1, c.survived);
        assertEquals(0, c.justified);
        assertEquals(75.0, c.killedOrJustified());
        assertEquals(List.of("dev.zwb.writeback"), t.underTarget());
    }

    @Test
    void noCoverageCountsAsASurvivorAndOnlyHeldPackagesHaveATarget() throws Exception {
        List<Mutation> ms = report(
                mutation("NO_COVERAGE", "dev.zwb.kernel.K", "x", 1, 1, "VoidMethodCallMutator", CALL_X),
                mutation("TIMED_OUT", "dev.zwb.zram.Z", "y", 1, 1, "VoidMethodCallMutator", CALL_X));
        PitSurvivors.Tally t = PitSurvivors.tally(ms, Map.of());
        assertEquals(1, t.unjustified().size());
        assertEquals(100.0, t.byPackage().get("dev.zwb.zram").killedOrJustified(), "a time-out is detected");
        assertEquals(0.0, t.byPackage().get("dev.zwb.kernel").killedOrJustified());
        assertEquals(List.of(), t.underTarget(), "kernel is reported, not held");
    }

    @Test
    void aBadLineIsOneMessageNamingItAndWhatIsAccepted() {
        String five = A + "\trun\t100\tNegateConditionalsMutator\tthe old format";
        PitKeys.BadLine e = assertThrows(PitKeys.BadLine.class, () -> tsv("# comment", "", five));
        assertEquals("pit-equivalent.tsv:3: expected 7 tab-separated columns (class, method, mutator, description, "
                + "occurrence, line, reason), got 5: '" + five + "'", e.getMessage());
        e = assertThrows(PitKeys.BadLine.class,
                () -> tsv(A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t0\t100\treason"));
        assertEquals("pit-equivalent.tsv:1: occurrence '0' is not a whole number >= 1", e.getMessage());
        e = assertThrows(PitKeys.BadLine.class,
                () -> tsv(A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t1\tten\treason"));
        assertEquals("pit-equivalent.tsv:1: line 'ten' is not a whole number >= 1", e.getMessage());
        e = assertThrows(PitKeys.BadLine.class, () -> tsv(
                A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t1\t100\treason",
                A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t1\t120\tanother reason"));
        assertTrue(e.getMessage().startsWith("pit-equivalent.tsv:2: the same mutant is justified twice"), e.getMessage());
        e = assertThrows(PitKeys.BadLine.class,
                () -> tsv(A + "\trun\tNegateConditionalsMutator\t" + NEG + "\t1\t100\t "));
        assertTrue(e.getMessage().startsWith("pit-equivalent.tsv:1: expected 7"), "a reason is required");
    }

    @Test
    void theCommittedFileParsesAndNamesClassesThatExist() throws Exception {
        Map<Key, Justified> j = PitKeys.parse(Files.readAllLines(Repo.root().resolve("model-java/pit-equivalent.tsv")),
                "pit-equivalent.tsv");
        assertTrue(j.size() >= 10, "the file's justifications: " + j.size());
        for (Key k : j.keySet()) {
            Class.forName(k.cls());
        }
    }
}
