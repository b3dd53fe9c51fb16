package dev.zwb.replay;

import dev.zwb.Repo;
import dev.zwb.check.Checker;
import dev.zwb.conform.ModelConstants;
import dev.zwb.conform.Replay;
import dev.zwb.conform.TlaParser;
import dev.zwb.conform.TlaValue;
import dev.zwb.conform.TraceStep;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.writeback.Design;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay can fail: a trace altered in one value diverges at that state and names the
 * variable; a twin built without the model's switch does not follow the trace; a verdict the
 * twin does not reach is reported as such. (The manifest test shows the other direction.)
 */
class ReplayDivergenceTest {

    private static ModelConstants constants;
    private static List<TraceStep> trace;

    @BeforeAll
    static void runTlc() throws Exception {
        Manifest m = Repo.manifest();
        ModelEntry e = m.models().stream().filter(x -> x.model().equals("single/no-pp-recheck")).findFirst().orElseThrow();
        TraceReplayer.Outcome o = new TraceReplayer(m.specDir(),
                new Checker(m.specDir(), Repo.runner("tlc-ci"), 1, System.out)).replay(e);
        assertTrue(o.result().ok(), "the unaltered trace replays: " + o.result().divergence());
        constants = ModelConstants.read(m.specDir().resolve(e.config()));
        trace = o.trace();
    }

    @Test
    void aValueTlcDidNotReachIsTheDivergence() {
        List<TraceStep> altered = new ArrayList<>(trace);
        TraceStep s = trace.get(5);
        Map<String, TlaValue> vars = new LinkedHashMap<>(s.state());
        vars.put("bdLimit", TlaParser.parse("7"));
        altered.set(5, new TraceStep(s.number(), s.process(), s.label(), vars));
        Replay.Result r = Replay.run(Design.SINGLE, constants, altered, "NoLostOrStaleData");
        assertNotNull(r.divergence());
        assertEquals(s.number(), r.divergence().step().number());
        assertEquals("bdLimit", r.divergence().variable());
        assertEquals("7", r.divergence().tlc());
        assertFalse(r.marks().get(5).agrees());
        assertEquals(6, r.marks().size(), "the replay stops at the divergence");
    }

    @Test
    void aTwinWithoutTheSwitchDoesNotFollowTheTrace() {
        Map<String, TlaValue> k = new LinkedHashMap<>(constants.values());
        k.put("Switches", TlaParser.parse("{}"));
        Replay.Result r = Replay.run(Design.SINGLE, new ModelConstants(constants.file(), k), trace, "NoLostOrStaleData");
        assertFalse(r.ok());
        assertNotNull(r.divergence(), "the re-checking relock keeps the freed slot: " + r.end());
        assertEquals("relock", r.divergence().step().label());
    }

    @Test
    void aVerdictTheTwinDoesNotReachIsReported() {
        Replay.Result r = Replay.run(Design.SINGLE, constants, trace, "WbLimit");
        assertNull(r.divergence());
        assertFalse(r.sameEnd());
        assertTrue(r.end().contains("NoLostOrStaleData"), r.end());
    }
}
