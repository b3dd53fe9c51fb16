package dev.zwb.writeback;

import dev.zwb.Repo;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java presets are the manifest's variants: the as-released (as-posted) switch set, every
 * switch alone, and the invariant each switch breaks are the ones TLC is held to.
 */
class ManifestPresetsTest {

    /** variant -> entry, per design. */
    private static Map<String, Map<String, JsonObject>> manifest() throws Exception {
        JsonObject m = JsonParser.parseString(Files.readString(Repo.root().resolve("spec/manifest.json")))
                .getAsJsonObject();
        Map<String, Map<String, JsonObject>> out = new TreeMap<>();
        for (JsonElement e : m.getAsJsonArray("models")) {
            JsonObject o = e.getAsJsonObject();
            out.computeIfAbsent(o.get("design").getAsString(), k -> new TreeMap<>())
                    .put(o.get("variant").getAsString(), o);
        }
        return out;
    }

    private static Set<String> switches(JsonObject entry) {
        Set<String> out = new TreeSet<>();
        entry.getAsJsonArray("switches").forEach(s -> out.add(s.getAsString()));
        return out;
    }

    private static Set<String> names(Set<Defect> defects) {
        Set<String> out = new TreeSet<>();
        defects.forEach(d -> out.add(d.name()));
        return out;
    }

    @Test
    void asReleasedPresetsAreTheManifests() throws Exception {
        Map<String, Map<String, JsonObject>> m = manifest();
        for (Design d : Design.values()) {
            Map<String, JsonObject> variants = m.get(d.id());
            assertNotNull(variants, "the manifest has models of " + d.id());
            JsonObject released = variants.containsKey("as-released") ? variants.get("as-released")
                    : variants.get("as-posted");
            assertNotNull(released, d.id() + " has an as-released or as-posted model");
            assertEquals(switches(released), names(Variant.asReleased(d).defects()), d.id());
            assertTrue(switches(variants.get("fixed")).isEmpty(), d.id() + "/fixed has no switch on");
            assertTrue(Variant.fixed(d).defects().isEmpty());
        }
    }

    @Test
    void everySwitchAloneBreaksTheInvariantTlcReports() throws Exception {
        Map<String, Map<String, JsonObject>> m = manifest();
        List<String> wrong = new ArrayList<>();
        for (Design d : Design.values()) {
            Set<String> inManifest = new TreeSet<>();
            m.get(d.id()).values().forEach(e -> inManifest.addAll(switches(e)));
            assertEquals(inManifest, names(d.defects()), d.id() + ": switches of the manifest vs the Java design");
            for (Defect defect : d.defects()) {
                JsonObject alone = m.get(d.id()).get(defect.name().toLowerCase().replace('_', '-'));
                assertNotNull(alone, d.id() + ": no model for " + defect + " alone");
                JsonObject x = alone.getAsJsonObject("expected");
                String tlc = x.has("name") ? x.get("name").getAsString()
                        : x.get("result").getAsString().equals("deadlock") ? "WritebackReturns" : "(passes)";
                if (!tlc.equals(defect.breaks())) {
                    wrong.add(d.id() + "/" + defect + ": TLC " + tlc + ", Java " + defect.breaks());
                }
            }
        }
        assertTrue(wrong.isEmpty(), "Java and TLC disagree on what a switch breaks: " + wrong);
    }
}
