package dev.zwb.validate;

import dev.zwb.Repo;
import dev.zwb.conform.ModelConstants;
import dev.zwb.conform.Refinement;
import dev.zwb.conform.TlaParser;
import dev.zwb.conform.TlaValue;
import dev.zwb.conform.Validation;
import dev.zwb.writeback.Design;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The patterns follow the mapping's projection: dead leaves match anything, merged spellings any of them. */
class PatternTest {

    private static final List<TlaValue.Str> SPELLINGS = List.of(new TlaValue.Str("EBIO"), new TlaValue.Str("EIO"),
            new TlaValue.Str("ok"), new TlaValue.Str("idle"), new TlaValue.Str("inflight"));

    private static Map<String, TlaValue> singleState(String wbRet, String bio) throws Exception {
        ModelConstants k = ModelConstants.read(Repo.spec().resolve("models/single/fixed.cfg"));
        Map<String, TlaValue> s = new LinkedHashMap<>(Validation.run(Design.SINGLE, k, 1).log().get(0).state());
        s.put("wbRet", new TlaValue.Str(wbRet));
        s.put("bio", TlaParser.parse(bio));
        return s;
    }

    @Test
    void anIdleBiosDataIsDeadAndTheRestExact() throws Exception {
        Map<String, Pattern> p = Pattern.of(Refinement.of(Design.SINGLE),
                singleState("ok", "[state |-> \"idle\", blk |-> 1, data |-> <<1, 1>>, err |-> FALSE]"), SPELLINGS);
        Pattern.Fn bio = assertInstanceOf(Pattern.Fn.class, p.get("bio"));
        assertInstanceOf(Pattern.Any.class, bio.map().get(new TlaValue.Str("data")));
        assertEquals(new Pattern.Exact(new TlaValue.Int(1)), bio.map().get(new TlaValue.Str("blk")));
        assertEquals(new Pattern.Exact(new TlaValue.Str("ok")), p.get("wbRet"));
        assertEquals(TraceModule.expr("bio", p.get("bio")),
                "(DOMAIN bio = {\"blk\", \"data\", \"err\", \"state\"} /\\ bio[\"blk\"] = 1 /\\ bio[\"err\"] = FALSE"
                        + " /\\ bio[\"state\"] = \"idle\")");
    }

    @Test
    void anInflightBiosDataIsLiveAndEioIsEitherSpelling() throws Exception {
        Map<String, Pattern> p = Pattern.of(Refinement.of(Design.SINGLE),
                singleState("EIO", "[state |-> \"inflight\", blk |-> 1, data |-> <<1, 1>>, err |-> FALSE]"), SPELLINGS);
        assertInstanceOf(Pattern.Exact.class, p.get("bio"));
        assertEquals(new Pattern.OneOf(new TreeSet<>(List.of(new TlaValue.Str("EBIO"), new TlaValue.Str("EIO")))),
                p.get("wbRet"));
        assertEquals("wbRet \\in {\"EBIO\", \"EIO\"}", TraceModule.expr("wbRet", p.get("wbRet")));
    }
}
