package dev.zwb.trace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Label → C, read from docs/map.md, the one C ↔ TLA+ ↔ Java table (model-java's
 * LabelMapTest holds it to the specs' labels). Its "Environment" section
 * serves every design; each design has a section of its own.
 */
public final class CMap {

    private static final Pattern ROW = Pattern.compile("^\\|(.*)\\|\\s*`(\\w+)`\\s*\\|(.*)\\|$");

    private final Map<String, Map<String, String>> byDesign;

    private CMap(Map<String, Map<String, String>> byDesign) {
        this.byDesign = byDesign;
    }

    public static CMap empty() {
        return new CMap(Map.of());
    }

    /** Reads docs/map.md under the repository root; an absent map gives an empty one. */
    public static CMap read(Path root) throws IOException {
        Path map = root.resolve("docs").resolve("map.md");
        if (!Files.isRegularFile(map)) {
            return empty();
        }
        return parse(Files.readAllLines(map));
    }

    static CMap parse(List<String> lines) {
        Map<String, Map<String, String>> out = new HashMap<>();
        String section = null;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                String head = line.substring(3).trim();
                section = head.startsWith("Environment") ? "*" : head.split("\\s+")[0];
                continue;
            }
            Matcher row = ROW.matcher(line.trim());
            if (section != null && row.matches()) {
                out.computeIfAbsent(section, k -> new HashMap<>()).put(row.group(2), row.group(1).trim());
            }
        }
        return new CMap(out);
    }

    /** The labels of a design's own section ("*": the Environment section), in no order. */
    public Set<String> labels(String design) {
        return new TreeSet<>(byDesign.getOrDefault(design, Map.of()).keySet());
    }

    /** The whole C cell for a label of a design (Markdown), or "" if the map does not name it. */
    public String cell(String design, String label) {
        String own = byDesign.getOrDefault(design, Map.of()).get(label);
        return own != null ? own : byDesign.getOrDefault("*", Map.of()).getOrDefault(label, "");
    }

    /** The C cell without Markdown: "zram_writeback_endio(): set_bit(COMPLETED)". */
    public String text(String design, String label) {
        return cell(design, label).replace("`", "").replace("\\|", "|");
    }
}
