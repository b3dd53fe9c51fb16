package dev.zwb.docs;

import dev.zwb.trace.CMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The label → C table in a spec's header comment: the one place where each
 * label is tied to the C it models. The table follows the header line that
 * ends in "table):"; a row is a label at the start of the comment's text and
 * the C after it, continued on lines indented past the label column; the
 * table ends at the first empty comment line. ZramCommon's table holds the
 * environment's labels, each design module's its own.
 */
public final class SpecLabels {

    /** Values of a program counter where a process rests: no step carries them. */
    public static final Set<String> REST_STATES = Set.of("done", "idle", "envDone");

    private static final Pattern ROW = Pattern.compile("^ {1,3}(\\w+) {2,}(\\S.*)$");
    private static final Pattern MORE = Pattern.compile("^ {10,}(\\S.*)$");

    private SpecLabels() {
    }

    /** The module's table, label → C (continuation lines joined with one space), in table order. */
    public static Map<String, String> table(Path module) throws IOException {
        return table(Files.readString(module), module.getFileName().toString());
    }

    static Map<String, String> table(String tla, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        boolean in = false;
        String last = null;
        for (String line : tla.split("\n", -1)) {
            if (!line.startsWith("(*") || !line.stripTrailing().endsWith("*)")) {
                if (in) {
                    break;
                }
                continue;
            }
            String text = line.stripTrailing();
            text = text.substring(2, Math.max(2, text.length() - 2)).stripTrailing();
            if (!in) {
                in = text.endsWith("table):");
                continue;
            }
            if (text.isBlank() || text.startsWith("*")) {
                break;
            }
            Matcher row = ROW.matcher(text);
            Matcher more = MORE.matcher(text);
            if (more.matches() && last != null) {
                out.put(last, out.get(last) + " " + more.group(1).strip());
            } else if (row.matches()) {
                last = row.group(1);
                if (out.put(last, row.group(2).strip()) != null) {
                    throw new IllegalStateException(name + ": label " + last + " twice in the header table");
                }
            } else {
                throw new IllegalStateException(name + ": not a row of the header's label table: " + line);
            }
        }
        return out;
    }

    /**
     * Where docs/map.md's section of a design ("*": the Environment) and a spec
     * header's table disagree: a label only one of them names, or a C text that
     * differs once the Markdown is made plain. Empty when they agree.
     */
    public static List<String> differences(Map<String, String> header, CMap map, String section) {
        List<String> out = new ArrayList<>();
        Set<String> labels = new TreeSet<>(header.keySet());
        labels.addAll(map.labels(section));
        for (String label : labels) {
            if (!header.containsKey(label)) {
                out.add(label + ": in docs/map.md, not in the spec header");
            } else if (!map.labels(section).contains(label)) {
                out.add(label + ": in the spec header, not in docs/map.md");
            } else if (!plain(map.cell(section, label)).equals(plain(header.get(label)))) {
                out.add(label + ": docs/map.md says \"" + plain(map.cell(section, label))
                        + "\", the spec header \"" + plain(header.get(label)) + "\"");
            }
        }
        return out;
    }

    /** Markdown C text as the spec header writes it: no backticks, ASCII arrows and dashes, single spaces. */
    public static String plain(String markdown) {
        return markdown.replace("`", "").replace("\\|", "|").replace("→", "->").replace("–", "-")
                .replace("…", "...").replaceAll("\\s+", " ").strip();
    }
}
