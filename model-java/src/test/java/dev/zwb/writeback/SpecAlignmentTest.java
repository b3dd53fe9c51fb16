package dev.zwb.writeback;

import dev.zwb.zram.Zram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The Java labels are the spec's: every label the Java passes occurs as a word in the design's
 * TLA+ module (a pc value or an action name) or, for the environment, in ZramCommon. Catches a
 * rename on either side. Skipped when the specs are not beside this module.
 */
class SpecAlignmentTest {

    private static final Path SPEC = Path.of("..", "spec");

    /** Java-only labels: limit-enable stores are constants in the specs. */
    private static final List<String> JAVA_ONLY = List.of("limitEnableStore");

    private static String module(Design design) {
        return switch (design) {
            case SINGLE -> "ZramSingle.tla";
            case MULTIPAGE -> "ZramMultipage.tla";
            case BATCHED -> "ZramBatched.tla";
        };
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void everyJavaLabelIsASpecLabel(Design design) throws IOException {
        Path file = SPEC.resolve(module(design));
        Path common = SPEC.resolve("ZramCommon.tla");
        assumeTrue(Files.exists(file) && Files.exists(common), "specs not found beside model-java");
        String spec = Files.readString(file);
        String env = Files.readString(common);
        List<String> missing = LabelsTest.declared(design).stream()
                .filter(l -> !JAVA_ONLY.contains(l))
                .filter(l -> !word(l).matcher(Zram.ENV_LABELS.contains(l) ? env : spec).find())
                .toList();
        assertEquals(List.of(), missing, "labels the spec " + file + " does not have");
    }

    private static Pattern word(String label) {
        return Pattern.compile("\\b" + Pattern.quote(label) + "\\b");
    }
}
