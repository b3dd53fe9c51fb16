package dev.zwb.writeback;

import dev.zwb.Repo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The spec, the Java and docs/map.md name the same labels. The spec declares its label sets
 * (WbLabels, EndioLabels, OtherSteps, and EnvLabels in ZramCommon) and TypeOK holds every
 * program counter to them, so TLC proves the sets complete; here the Java's step-hook labels
 * must equal them, and the map must list each one in the design's section.
 */
class LabelMapTest {

    /** States, not steps: no process ever steps from them. */
    private static final Set<String> NOT_STEPS = Set.of("idle", "envDone");
    /** Java-only: wb_limit_enable is a constant in the specs. */
    private static final Set<String> JAVA_ONLY = Set.of("limitEnableStore");

    private static String module(Design design) {
        return switch (design) {
            case SINGLE -> "ZramSingle.tla";
            case MULTIPAGE -> "ZramMultipage.tla";
            case BATCHED -> "ZramBatched.tla";
        };
    }

    /** The strings of "Name == {...}" in a module, or none if it does not define Name. */
    static Set<String> declaredSet(String tla, String name) {
        Set<String> out = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^" + name + " ==\\s*\\{([^}]*)}").matcher(tla);
        if (m.find()) {
            Matcher s = Pattern.compile("\"(\\w+)\"").matcher(m.group(1));
            while (s.find()) {
                out.add(s.group(1));
            }
        }
        return out;
    }

    private static Set<String> specSteps(Design design) throws IOException {
        String spec = Files.readString(Repo.root().resolve("spec").resolve(module(design)));
        String common = Files.readString(Repo.root().resolve("spec/ZramCommon.tla"));
        Set<String> out = new TreeSet<>();
        for (String set : List.of("WbLabels", "EndioLabels", "OtherSteps")) {
            out.addAll(declaredSet(spec, set));
        }
        assertTrue(!declaredSet(spec, "WbLabels").isEmpty(), module(design) + " declares WbLabels");
        Set<String> env = declaredSet(common, "EnvLabels");
        assertTrue(!env.isEmpty(), "ZramCommon declares EnvLabels");
        out.addAll(env);
        out.removeAll(NOT_STEPS);
        return out;
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void javaStepsAreTheSpecsLabels(Design design) throws IOException {
        Set<String> java = new TreeSet<>(LabelsTest.declared(design));
        java.removeAll(JAVA_ONLY);
        assertEquals(specSteps(design), java, design.id() + ": spec labels vs Java step-hook labels");
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void theMapListsEveryLabel(Design design) throws IOException {
        String map = Files.readString(Repo.root().resolve("docs/map.md"));
        String section = section(map, "## " + design.id());
        String env = section(map, "## Environment");
        Set<String> missing = new TreeSet<>();
        for (String label : specSteps(design)) {
            boolean isEnv = env.contains("| `" + label + "` |");
            if (!isEnv && !section.contains("| `" + label + "` |")) {
                missing.add(label);
            }
        }
        assertEquals(Set.of(), missing, "labels of " + design.id() + " missing from docs/map.md");
    }

    private static String section(String doc, String heading) {
        int start = doc.indexOf("\n" + heading);
        assertTrue(start >= 0, "docs/map.md has a section " + heading);
        int end = doc.indexOf("\n## ", start + 1);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }
}
