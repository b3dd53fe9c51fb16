package dev.zwb.tlc;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SANY's parse and semantic errors, which TLC prints as plain lines (not
 * -tool messages) before its one-line "Parsing or semantic analysis failed",
 * read back as {@code file:line:col: message}, the form editors jump to.
 */
final class SanyErrors {

    private static final Pattern PARSING = Pattern.compile("^Parsing file (.+\\.tla)$");
    private static final Pattern AT = Pattern.compile("at line (\\d+), column (\\d+)");
    private static final Pattern SPAN = Pattern.compile("^line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\w+)$");

    private SanyErrors() {
    }

    /** The first parse or semantic error, or null if SANY reported none in a form it knows. */
    static String first(List<String> lines) {
        String file = null;
        Path dir = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            Matcher p = PARSING.matcher(line);
            if (p.matches()) {
                file = p.group(1);
                if (dir == null) {
                    dir = Path.of(file).getParent();
                }
                continue;
            }
            if (line.startsWith("***Parse Error***") || line.startsWith("Lexical error")) {
                for (int j = line.startsWith("Lexical") ? i : i + 1; j < lines.size(); j++) {
                    Matcher at = AT.matcher(lines.get(j));
                    if (at.find()) {
                        String what = lines.get(j).trim().replaceAll("\\s+", " ");
                        return file + ":" + at.group(1) + ":" + at.group(2) + ": parse error: " + what;
                    }
                }
            }
            Matcher span = SPAN.matcher(line);
            if (span.matches()) {
                String module = span.group(3) + ".tla";
                String where = dir == null ? module : dir.resolve(module).toString();
                for (int j = i + 1; j < lines.size(); j++) {
                    if (!lines.get(j).isBlank()) {
                        return where + ":" + span.group(1) + ":" + span.group(2) + ": "
                                + lines.get(j).trim().replaceAll("\\s+", " ");
                    }
                }
            }
            if (line.startsWith("Cannot find source file for module")) {
                return line;
            }
        }
        return null;
    }
}
