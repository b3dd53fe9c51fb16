package dev.zwb.manifest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading rejects every malformed manifest with one line naming the entry, the field and what is accepted. */
class ManifestTest {

    @TempDir
    Path dir;

    private static final String GOOD = "{\"model\": \"single/fixed\", \"design\": \"single\", \"variant\": \"fixed\","
            + " \"spec\": \"ZramSingle\", \"config\": \"models/single/fixed.cfg\", \"switches\": [],"
            + " \"mode\": \"exhaustive\", \"profile\": \"ci\","
            + " \"expected\": {\"result\": \"success\", \"distinctStates\": 10, \"depth\": 3}}";

    private String load(String json) throws IOException {
        Files.writeString(dir.resolve("manifest.json"), json);
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.load(dir));
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsAGoodEntry() throws Exception {
        Files.writeString(dir.resolve("manifest.json"), "{\"models\": [" + GOOD + "]}");
        Manifest m = Manifest.load(dir);
        assertEquals(1, m.models().size());
        assertEquals(10, m.models().get(0).expected().distinctStates());
        assertEquals("pass", m.models().get(0).expected().shortText());
    }

    @Test
    void missingFile() {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifest.load(dir));
        assertTrue(e.getMessage().startsWith("no manifest at"), e.getMessage());
    }

    @Test
    void notJson() throws Exception {
        assertTrue(load("{models: [").contains("is not valid JSON"));
    }

    @Test
    void noModelsArray() throws Exception {
        assertTrue(load("{\"entries\": []}").contains("\"models\" array"));
    }

    @Test
    void unknownResultNamesTheAcceptedOnes() throws Exception {
        String msg = load("{\"models\": [" + GOOD.replace("\"success\"", "\"fine\"") + "]}");
        assertEquals("manifest entry 'single/fixed' expected: result 'fine' is not one of "
                + "[success, invariant, property, deadlock]", msg);
    }

    @Test
    void unknownModeAndProfile() throws Exception {
        assertTrue(load("{\"models\": [" + GOOD.replace("exhaustive", "dfs") + "]}")
                .contains("mode 'dfs' is not one of [exhaustive, simulate]"));
        assertTrue(load("{\"models\": [" + GOOD.replace("\"ci\"", "\"nightly\"") + "]}")
                .contains("profile 'nightly' is not one of [ci, large]"));
    }

    @Test
    void missingCountsForAPass() throws Exception {
        assertTrue(load("{\"models\": [" + GOOD.replace(", \"distinctStates\": 10", "") + "]}")
                .contains("\"distinctStates\" must be a whole number"));
    }

    @Test
    void aFailureNeedsItsNameAndTraceLength() throws Exception {
        String bad = GOOD.replace("{\"result\": \"success\", \"distinctStates\": 10, \"depth\": 3}",
                "{\"result\": \"invariant\", \"traceLength\": 9}");
        assertTrue(load("{\"models\": [" + bad + "]}").contains("missing or empty \"name\""));
    }

    @Test
    void modelMustBeDesignSlashVariant() throws Exception {
        assertTrue(load("{\"models\": [" + GOOD.replace("\"single/fixed\"", "\"single-fixed\"") + "]}")
                .contains("model must be \"single/fixed\""));
    }

    @Test
    void duplicateModel() throws Exception {
        assertEquals("manifest lists model 'single/fixed' twice", load("{\"models\": [" + GOOD + "," + GOOD + "]}"));
    }
}
