package dev.zwb.docs;

import dev.zwb.Repo;
import dev.zwb.trace.CMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The label → C table is kept once, in each spec's header; docs/map.md's
 * C column says the same, label by label, and names the same labels.
 * ManifestModelsTest holds the tables to the StepLabels each TLC run prints
 * (TypeOK proves those complete); model-java's LabelMapTest holds docs/map.md
 * to the label sets the specs declare.
 */
class SpecLabelsTest {

    private static Map<String, String> header(String module) throws IOException {
        return SpecLabels.table(Repo.spec().resolve(module + ".tla"));
    }

    @ParameterizedTest
    @CsvSource({"ZramCommon, *", "ZramSingle, single", "ZramMultipage, multipage", "ZramBatched, batched"})
    void docsMapSaysWhatTheHeaderSays(String module, String section) throws IOException {
        CMap map = CMap.read(Repo.root());
        assertEquals(List.of(), SpecLabels.differences(header(module), map, section),
                "docs/map.md (" + section + ") vs the header of " + module);
    }

    @Test
    void aDriftedMapOrHeaderIsReported() throws IOException {
        CMap map = CMap.read(Repo.root());
        Map<String, String> drifted = new LinkedHashMap<>(header("ZramSingle"));
        drifted.remove("bioWait");
        drifted.put("relock", "re-lock only");
        drifted.put("extra", "a label docs/map.md does not list");
        List<String> diffs = SpecLabels.differences(drifted, map, "single");
        assertEquals(3, diffs.size(), String.join("\n", diffs));
        assertEquals(List.of("bioWait", "extra", "relock"), diffs.stream().map(d -> d.split(":")[0]).toList());
    }

    @Test
    void tablesParseRowsAndContinuations() {
        String tla = String.join("\n",
                "(* Labels and the C each models (checked against this table):       *)",
                "(*  scan                  scan_slots_for_writeback() / place_pp_slot()  *)",
                "(*  readSlot              slot lock; ZRAM_PP_SLOT?;                     *)",
                "(*                        zram_read_from_zspool(); unlock               *)",
                "(*                                                                      *)",
                "(*  notInTable            after the blank line                          *)");
        assertEquals(Map.of("scan", "scan_slots_for_writeback() / place_pp_slot()",
                        "readSlot", "slot lock; ZRAM_PP_SLOT?; zram_read_from_zspool(); unlock"),
                SpecLabels.table(tla, "t"));
        String twice = String.join("\n",
                "(* the table):  *)", "(*  scan   a  *)", "(*  scan   b  *)");
        assertThrows(IllegalStateException.class, () -> SpecLabels.table(twice, "t"));
    }
}
