package dev.zwb.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What zwb needs to know of a TLC config: the switches it turns on, the
 * invariants and the temporal properties it checks. (TLC itself reads the
 * config; this is only for cross-checks against the manifest and to name a
 * violated property, which TLC's -tool output does not.)
 */
public record ModelConfig(Path file, List<String> switches, List<String> invariants, List<String> properties) {

    private static final Set<String> KEYWORDS = Set.of("SPECIFICATION", "CONSTANT", "CONSTANTS", "INVARIANT",
            "INVARIANTS", "PROPERTY", "PROPERTIES", "INIT", "NEXT", "SYMMETRY", "VIEW", "CHECK_DEADLOCK",
            "ALIAS", "POSTCONDITION", "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "CONSTRAINT", "CONSTRAINTS");
    private static final Pattern SWITCHES = Pattern.compile("\\bSwitches\\s*=\\s*\\{([^}]*)}");

    public static ModelConfig read(Path file) throws ManifestException {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ManifestException("config " + file + " cannot be read: " + e.getMessage());
        }
        text = text.replaceAll("\\(\\*(?s:.*?)\\*\\)", " ").replaceAll("\\\\\\*[^\n]*", " ");
        Matcher m = SWITCHES.matcher(text);
        if (!m.find()) {
            throw new ManifestException("config " + file + " does not set Switches = {...}");
        }
        List<String> switches = new ArrayList<>();
        for (String s : m.group(1).split(",")) {
            String name = s.trim().replace("\"", "");
            if (!name.isEmpty()) {
                switches.add(name);
            }
        }
        return new ModelConfig(file, switches, section(text, "INVARIANT"), section(text, "PROPERT"));
    }

    /** The names listed after the keywords that start with prefix (INVARIANT(S): "INVARIANT"; PROPERTY/PROPERTIES: "PROPERT"), until the next keyword. */
    private static List<String> section(String text, String prefix) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String token : text.split("\\s+")) {
            if (KEYWORDS.contains(token)) {
                in = token.startsWith(prefix);
                continue;
            }
            if (in && !token.isEmpty()) {
                out.add(token);
            }
        }
        return out;
    }
}
