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
    void unknownVariantSwitchModelAndProfile() {
        assertTrue(oneLine(inRepo("check", "--variant", "as-shipped"), 2).contains("unknown variant 'as-shipped'; accepted: "));
        assertTrue(oneLine(inRepo("check", "--switch", "NO_SUCH_BUG"), 2).contains("unknown switch 'NO_SUCH_BUG'; accepted: "));
        assertTrue(oneLine(inRepo("check", "--model", "single/nope"), 2).contains("unknown model 'single/nope'; accepted: "));
        assertTrue(oneLine(inRepo("check", "--profile", "nightly"), 2).contains("unknown profile 'nightly'; accepted: ci, large, all"));
        assertTrue(oneLine(inRepo("trace", "nope/nope"), 2).contains("unknown model 'nope/nope'"));
    }

    @Test
    void badNumbers() {
        assertTrue(oneLine(inRepo("check", "--jobs", "two"), 2).contains("'two' is not an int"));
        assertTrue(oneLine(inRepo("check", "--jobs", "0"), 2).contains("--jobs must be between 1 and 16, not 0"));
        assertTrue(oneLine(inRepo("check", "--timeout", "-5"), 2).contains("--timeout must be a positive number of seconds, not -5"));
        assertTrue(oneLine(inRepo("check", "--colour"), 2).contains("Unknown option: '--colour'"));
    }

    @Test
    void noSpecDirectory() {
        assertTrue(oneLine(zwb("--root", tmp.toString(), "list"), 2).contains("no spec/ directory under"));
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
    void malformedConfigIsRejectedByTlcInOneLine() throws IOException {
        Path root = fakeRoot("SPECIFICATION Spec\nCONSTANTS\n    Switches = {}\n    Slots <<1>>\n");
        String line = oneLine(zwb("--root", root.toString(), "check"), 1);
        assertTrue(line.startsWith("zwb: TLC rejected the config models/single/fixed.cfg of model single/fixed: "), line);
    }

    @Test
    void aBrokenSpecIsAParseErrorInOneLine() throws IOException {
        Path root = fakeRoot(Files.readString(Repo.spec().resolve("models/single/fixed.cfg")));
        Path tla = root.resolve("spec/ZramSingle.tla");
        Files.writeString(tla, Files.readString(tla).replace("Next == WbStep", "Next == WbStep \\/ ("));
        String line = oneLine(zwb("--root", root.toString(), "check"), 1);
        assertTrue(line.startsWith("zwb: TLC could not parse the spec of model single/fixed"), line);
    }

    @Test
    void aTimeoutIsOneLineAndAFailure() throws IOException {
        Path root = fakeRoot(Files.readString(Repo.spec().resolve("models/single/fixed.cfg")));
        String line = oneLine(zwb("--root", root.toString(), "check", "--timeout", "1"), 1);
        assertTrue(line.matches("zwb: model single/fixed timed out after \\d+ s \\(raise it with --timeout SECONDS\\)"), line);
    }

    @Test
    void listNamesDesignsVariantsAndSwitches() {
        Run r = inRepo("list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("single") && r.out().contains("as-released") && r.out().contains("switches: "));
    }

    @Test
    void checkJsonForOneModel() {
        Run r = inRepo("check", "--model", "single/blk-idx-leak", "--json");
        assertEquals(0, r.code(), r.err());
        JsonObject root = JsonParser.parseString(r.out()).getAsJsonObject();
        assertTrue(root.get("allMatch").getAsBoolean());
        JsonObject actual = root.getAsJsonArray("verdicts").get(0).getAsJsonObject().getAsJsonObject("actual");
        assertEquals("invariant", actual.get("result").getAsString());
        assertEquals("BlockNoLeak", actual.get("name").getAsString());
    }

    @Test
    void aMismatchExitsOne() throws IOException {
        Path root = fakeRoot(Files.readString(Repo.spec().resolve("models/single/blk-idx-leak.cfg"))
                .replace("\"BLK_IDX_LEAK\"", ""));
        // the config now checks the fixed single design with small counts that the fake manifest does not match
        Path cfg = root.resolve("spec/models/single/fixed.cfg");
        Files.writeString(cfg, Files.readString(cfg).replace("EnvProcs = {\"freeNotify\", \"write\", \"read\", \"limitStore\"}",
                "EnvProcs = {}"));
        Run r = zwb("--root", root.toString(), "check");
        assertEquals(1, r.code(), r.err());
        assertTrue(r.out().contains("MISMATCH") && r.out().contains("distinct states"), r.out());
    }
}
