package dev.zwb.writeback;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/defects/ has one page per defect switch, listed in its index, and every model of the
 * manifest that fails with a switch on has exactly one pair of generated-trace markers
 * (trace-markdown and trace-mermaid, each closed) on the page of one of its switches, so that
 * {@code zwb docs} has a place to put each counterexample and no marker names a model that
 * does not exist.
 */
class DefectPagesTest {

    private static final Path DEFECTS = Repo.root().resolve("docs/defects");
    /** A marker pair, empty or filled; the filling never holds another marker. */
    private static final Pattern MARKER = Pattern.compile(
            "<!-- zwb:begin (trace-markdown|trace-mermaid) (\\S+) -->((?:(?!<!-- zwb:).)*?)<!-- zwb:end -->",
            Pattern.DOTALL);

    /** "kind model" for every closed marker pair of a page. */
    static List<String> markers(String page) {
        List<String> out = new ArrayList<>();
        Matcher m = MARKER.matcher(page);
        while (m.find()) {
            out.add(m.group(1) + " " + m.group(2));
        }
        return out;
    }

    /** Failing models with a switch on → their switches. */
    private static Map<String, Set<String>> failingModels() throws IOException {
        JsonObject m = JsonParser.parseString(Files.readString(Repo.root().resolve("spec/manifest.json")))
                .getAsJsonObject();
        Map<String, Set<String>> out = new TreeMap<>();
        for (JsonElement e : m.getAsJsonArray("models")) {
            JsonObject o = e.getAsJsonObject();
            Set<String> switches = new TreeSet<>();
            o.getAsJsonArray("switches").forEach(s -> switches.add(s.getAsString()));
            String result = o.getAsJsonObject("expected").get("result").getAsString();
            if (!switches.isEmpty() && !result.equals("success")) {
                out.put(o.get("model").getAsString(), switches);
            }
        }
        return out;
    }

    @Test
    void theMarkerParserNeedsBothEnds() {
        String page = String.join("\n",
                "<!-- zwb:begin trace-markdown a/b -->", "<!-- zwb:end -->",
                "<!-- zwb:begin trace-mermaid a/b -->", "| generated |", "<!-- zwb:end -->",
                "<!-- zwb:begin trace-markdown c/d -->", "never closed");
        assertEquals(List.of("trace-markdown a/b", "trace-mermaid a/b"), markers(page));
    }

    @Test
    void everySwitchHasAPageInTheIndex() throws IOException {
        String index = Files.readString(DEFECTS.resolve("README.md"));
        for (Defect d : Defect.values()) {
            assertTrue(Files.isRegularFile(DEFECTS.resolve(d.name() + ".md")), "docs/defects/" + d.name() + ".md");
            assertTrue(index.contains("(" + d.name() + ".md)"), "docs/defects/README.md links " + d.name());
        }
    }

    @Test
    void everyFailingModelHasOneMarkerPairOnThePageOfOneOfItsSwitches() throws IOException {
        Map<String, Set<String>> failing = failingModels();
        Map<String, List<String>> found = new TreeMap<>(); // model -> "PAGE kind"
        for (Defect d : Defect.values()) {
            for (String marker : markers(Files.readString(DEFECTS.resolve(d.name() + ".md")))) {
                String[] kindModel = marker.split(" ");
                String model = kindModel[1];
                assertTrue(failing.containsKey(model), d.name() + ".md names " + model
                        + ", which is not a failing model with a switch in spec/manifest.json");
                assertTrue(failing.get(model).contains(d.name()),
                        d.name() + ".md holds " + model + ", whose switches are " + failing.get(model));
                found.computeIfAbsent(model, k -> new ArrayList<>()).add(d.name() + " " + kindModel[0]);
            }
        }
        assertEquals(failing.keySet(), found.keySet(), "failing models with markers");
        for (Map.Entry<String, List<String>> e : found.entrySet()) {
            List<String> kinds = e.getValue().stream().map(s -> s.split(" ")[1]).sorted().toList();
            assertEquals(List.of("trace-markdown", "trace-mermaid"), kinds, e.getKey() + ": " + e.getValue());
        }
    }
}
