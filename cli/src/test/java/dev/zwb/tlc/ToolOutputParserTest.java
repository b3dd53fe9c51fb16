package dev.zwb.tlc;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ToolOutputParserTest {

    /** Builds -tool output: each message is {code, severity, body...}. */
    private static List<String> out(String[]... messages) {
        List<String> lines = new ArrayList<>();
        lines.add("TLC2 Version 2.18 of 20 March 2023");
        for (String[] m : messages) {
            lines.add("@!@!@STARTMSG " + m[0] + ":" + m[1] + " @!@!@");
            for (int i = 2; i < m.length; i++) {
                lines.add(m[i]);
            }
            lines.add("@!@!@ENDMSG " + m[0] + " @!@!@");
        }
        return lines;
    }

    private static final Path OUT = Path.of("tlc.out");

    @Test
    void invariantViolationWithItsTrace() {
        List<String> lines = out(
                new String[] {"2110", "1", "Invariant Reads is violated."},
                new String[] {"2121", "1", "The behavior up to this point is:"},
                new String[] {"2217", "4", "1: <Initial predicate>", "/\\ wbPc = \"scan\"",
                    "/\\ tbl = << [flags |-> {}, ver |-> 1],", "   [flags |-> {}, ver |-> 1] >>", ""},
                new String[] {"2217", "4", "2: <scan line 67, col 5 to line 78, col 77 of module ZramSingle>",
                    "/\\ wbPc = \"select\"", "/\\ tbl = << [flags |-> {}, ver |-> 1], [flags |-> {}, ver |-> 2] >>"},
                new String[] {"2199", "0", "92,719 states generated, 36,394 distinct states found, 7638 states left on queue."},
                new String[] {"2194", "0", "The depth of the complete state graph search is 16."});
        TlcResult r = ToolOutputParser.parse(lines, 12, 1000, OUT);
        assertEquals(TlcOutcome.INVARIANT, r.outcome());
        assertEquals("Reads", r.violated());
        assertEquals(2, r.traceLength());
        assertEquals(36394, r.distinctStates());
        assertEquals(92719, r.generated());
        assertEquals(16, r.depth());
        assertEquals("Initial predicate", r.trace().get(0).action());
        assertEquals("scan", r.trace().get(1).action());
        assertEquals("<< [flags |-> {}, ver |-> 1], [flags |-> {}, ver |-> 1] >>", r.trace().get(0).var("tbl"));
        assertEquals("\"select\"", r.trace().get(1).var("wbPc"));
    }

    @Test
    void successCarriesStatesAndDepth() {
        TlcResult r = ToolOutputParser.parse(out(
                new String[] {"2193", "0", "Model checking completed. No error has been found."},
                new String[] {"2199", "0", "747128 states generated, 277244 distinct states found, 0 states left on queue."},
                new String[] {"2194", "0", "The depth of the complete state graph search is 33."}), 0, 5, OUT);
        assertEquals(TlcOutcome.SUCCESS, r.outcome());
        assertEquals(277244, r.distinctStates());
        assertEquals(33, r.depth());
        assertTrue(r.trace().isEmpty());
        assertNull(r.errorLine());
    }

    @Test
    void livenessViolationKeepsTheLoop() {
        TlcResult r = ToolOutputParser.parse(out(
                new String[] {"2116", "1", "Temporal properties were violated."},
                new String[] {"2217", "4", "1: <Initial predicate>", "/\\ wbPc = \"scan\""},
                new String[] {"2217", "4", "2: <scan line 1, col 1 to line 2, col 2 of module M>", "/\\ wbPc = \"bioWait\""},
                new String[] {"2122", "4", "2: Back to state: <bioWait line 1, col 1 to line 2, col 2 of module M>"}),
                13, 5, OUT);
        assertEquals(TlcOutcome.PROPERTY, r.outcome());
        assertNull(r.violated());
        assertEquals(2, r.traceLength());
        assertEquals(2, r.loopBackTo());
    }

    @Test
    void deadlockIsAViolation() {
        TlcResult r = ToolOutputParser.parse(out(
                new String[] {"2114", "1", "Deadlock reached."},
                new String[] {"2217", "4", "1: <Initial predicate>", "/\\ x = 1"}), 11, 5, OUT);
        assertEquals(TlcOutcome.DEADLOCK, r.outcome());
        assertEquals(1, r.traceLength());
    }

    @Test
    void anEvaluationErrorIsACrashWithItsFirstLine() {
        TlcResult r = ToolOutputParser.parse(out(
                new String[] {"1000", "1", "Successor state is not completely specified by action scan.",
                    "The following variable is not assigned: rdSeen."}), 75, 5, OUT);
        assertEquals(TlcOutcome.CRASH, r.outcome());
        assertEquals("Successor state is not completely specified by action scan.", r.errorLine());
    }

    @Test
    void aViolationExitWithoutTheMessageIsACrash() {
        TlcResult r = ToolOutputParser.parse(out(new String[] {"2199", "0", "1 states generated, 1 distinct states found"}),
                12, 5, OUT);
        assertEquals(TlcOutcome.CRASH, r.outcome());
    }

    @Test
    void configAndParseErrorsKeepTheirKind() {
        assertEquals(TlcOutcome.CONFIG_ERROR, ToolOutputParser.parse(out(
                new String[] {"1000", "1", "TLC found an error in the configuration file at line 6"}), 151, 5, OUT).outcome());
        assertEquals(TlcOutcome.PARSE_ERROR, ToolOutputParser.parse(out(
                new String[] {"1000", "1", "Parsing or semantic analysis failed."}), 150, 5, OUT).outcome());
    }

    @Test
    void aBadConfigReportedAsAnUnexpectedExceptionIsAConfigError() {
        TlcResult r = ToolOutputParser.parse(out(new String[] {"1000", "1",
            "TLC threw an unexpected exception.", "This was probably caused by an error in the spec or model.",
            "The exception was a tlc2.tool.ConfigFileException", ": TLC found an error in the configuration file at line 4",
            "It was expecting = or <-, but did not find it."}), 255, 5, OUT);
        assertEquals(TlcOutcome.CONFIG_ERROR, r.outcome());
        assertEquals("line 4: It was expecting = or <-, but did not find it.", r.errorLine());
    }

    /** TLC 2.18 as it really prints a config error: message 5006 nested inside 1000, after text on one line. */
    @Test
    void aNestedConfigMessageGivesTheLineAndNoMarker() {
        List<String> lines = List.of("@!@!@STARTMSG 1000:1 @!@!@", "TLC threw an unexpected exception.",
                "The exception was a tlc2.tool.ConfigFileException", ": @!@!@STARTMSG 5006:0 @!@!@",
                "TLC found an error in the configuration file at line 5", "It was expecting }, but did not find it.",
                "@!@!@ENDMSG 5006 @!@!@", "@!@!@ENDMSG 1000 @!@!@");
        TlcResult r = ToolOutputParser.parse(lines, 255, 5, OUT);
        assertEquals(TlcOutcome.CONFIG_ERROR, r.outcome());
        assertEquals("line 5: It was expecting }, but did not find it.", r.errorLine());
    }

    /** SANY's errors are plain lines: they become file:line:col. */
    @Test
    void parseAndSemanticErrorsGiveFileLineColumn() {
        TlcResult parse = ToolOutputParser.parse(List.of("Parsing file /r/spec/ZramSingle.tla", "***Parse Error***",
                "Encountered \"/\\\\\" at line 69, column 5 and token \"/\\\\\"", "",
                "@!@!@STARTMSG 3002:1 @!@!@", "Parsing or semantic analysis failed.", "@!@!@ENDMSG 3002 @!@!@"),
                150, 5, OUT);
        assertEquals(TlcOutcome.PARSE_ERROR, parse.outcome());
        assertTrue(parse.errorLine().startsWith("/r/spec/ZramSingle.tla:69:5: parse error: Encountered"), parse.errorLine());
        TlcResult semantic = ToolOutputParser.parse(List.of("Parsing file /r/spec/ZramSingle.tla",
                "Semantic errors:", "", "*** Errors: 1", "", "line 68, col 15 to line 68, col 19 of module ZramSingle",
                "", "Unknown operator: `scann'.", "", "@!@!@STARTMSG 3002:1 @!@!@",
                "Parsing or semantic analysis failed.", "@!@!@ENDMSG 3002 @!@!@"), 150, 5, OUT);
        assertEquals("/r/spec/ZramSingle.tla:68:15: Unknown operator: `scann'.", semantic.errorLine());
    }

    @Test
    void reachedAndDeclaredLabelsStutteringAndVersion() {
        List<String> lines = new ArrayList<>(out(new String[] {"2262", "0", "TLC2 Version 2.18 of 20 March 2023"},
                new String[] {"2116", "1", "Temporal properties were violated."},
                new String[] {"2217", "4", "1: <Initial predicate>", "/\\ wbPc = \"waitSleep\""},
                new String[] {"2218", "4", "2: Stuttering"}));
        lines.add(0, "<<\"zwb-labels\", {\"scan\", \"select\"}>>");
        lines.add(1, "<<\"zwb-reach\", \"scan\">>");
        TlcResult r = ToolOutputParser.parse(lines, 13, 5, OUT);
        assertEquals(TlcOutcome.PROPERTY, r.outcome());
        assertTrue(r.stuttering());
        assertEquals(java.util.Set.of("scan", "select"), r.declaredLabels());
        assertEquals(java.util.Set.of("scan"), r.reached());
        assertEquals("TLC2 Version 2.18 of 20 March 2023", r.tlcVersion());
    }

    @Test
    void noMarkerOrExceptionNameSurvivesCleaning() {
        assertEquals("boom: bad", ToolOutputParser.clean("@!@!@STARTMSG 1000:1 @!@!@ boom: java.lang.IllegalStateException: bad"));
    }

    /** A spec without lastStep (an ad hoc one): zwb trace names the step from the program counters. */
    @Test
    void stepLabelsComeFromTheProgramCountersWithoutLastStep() {
        java.util.Map<String, dev.zwb.conform.TlaValue> a = values(
                "envPc", "[ freeNotify |-> \"freeNotify\", read |-> \"readLock\" ]", "wbPc", "\"scan\"");
        java.util.Map<String, dev.zwb.conform.TlaValue> b = values(
                "envPc", "[ freeNotify |-> \"freeNotify\", read |-> \"readBio\" ]", "wbPc", "\"scan\"");
        java.util.Map<String, dev.zwb.conform.TlaValue> c = values(
                "envPc", "[ freeNotify |-> \"freeNotify\", read |-> \"readBio\" ]", "wbPc", "\"limitCheck\"");
        assertEquals(List.of("read", "readLock"), List.of(dev.zwb.conform.StepNames.of(a, b, "EnvNext")));
        assertEquals(List.of("wb", "scan"), List.of(dev.zwb.conform.StepNames.of(b, c, "select")));
        java.util.Map<String, dev.zwb.conform.TlaValue> c2 = values("wbRetPc", "\"selectIdleReq\"",
                "envPc", "[ freeNotify |-> \"freeNotify\", read |-> \"readBio\" ]", "wbPc", "\"drainWait\"");
        java.util.Map<String, dev.zwb.conform.TlaValue> d = values("wbRetPc", "\"drainWait\"",
                "envPc", "[ freeNotify |-> \"freeNotify\", read |-> \"readBio\" ]", "wbPc", "\"waitDone\"");
        assertEquals(List.of("wb", "drainWait"), List.of(dev.zwb.conform.StepNames.of(c2, d, "x")),
                "wbRetPc is not a program counter");
    }

    private static java.util.Map<String, dev.zwb.conform.TlaValue> values(String... kv) {
        java.util.Map<String, dev.zwb.conform.TlaValue> out = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.put(kv[i], dev.zwb.conform.TlaParser.parse(kv[i + 1]));
        }
        return out;
    }
}
