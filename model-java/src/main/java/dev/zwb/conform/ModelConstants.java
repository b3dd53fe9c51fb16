package dev.zwb.conform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The constants of a TLC model, read from its .cfg ({@code Name = value} lines of the CONSTANTS
 * section, values in TLC's syntax): what a replay builds the Java twin from.
 */
public record ModelConstants(Path file, Map<String, TlaValue> values) {

    private static final Set<String> SECTIONS = Set.of("SPECIFICATION", "INVARIANT", "INVARIANTS", "PROPERTY",
            "PROPERTIES", "INIT", "NEXT", "SYMMETRY", "VIEW", "CHECK_DEADLOCK", "ALIAS", "CONSTRAINT", "CONSTRAINTS",
            "ACTION_CONSTRAINT", "ACTION_CONSTRAINTS", "POSTCONDITION");

    public ModelConstants {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** Reads {@code cfg}; a bad value is an IllegalArgumentException naming the file and the constant. */
    public static ModelConstants read(Path cfg) throws IOException {
        String text = Files.readString(cfg).replaceAll("\\(\\*(?s:.*?)\\*\\)", " ").replaceAll("\\\\\\*[^\n]*", " ");
        Map<String, TlaValue> values = new LinkedHashMap<>();
        boolean in = false;
        for (String line : text.split("\n")) {
            String t = line.trim();
            String first = t.split("\\s+")[0];
            if (first.equals("CONSTANT") || first.equals("CONSTANTS")) {
                in = true;
                t = t.substring(first.length()).trim();
            } else if (SECTIONS.contains(first)) {
                in = false;
            }
            int eq = t.indexOf('=');
            if (!in || eq < 0) {
                continue;
            }
            String name = t.substring(0, eq).trim();
            try {
                values.put(name, TlaParser.parse(t.substring(eq + 1).trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(cfg + ": constant " + name + ": " + e.getMessage());
            }
        }
        return new ModelConstants(cfg, values);
    }

    /** The constant {@code name}; a missing one is an IllegalArgumentException. */
    public TlaValue get(String name) {
        TlaValue v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException(file + " does not set the constant " + name);
        }
        return v;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public long integer(String name) {
        if (get(name) instanceof TlaValue.Int i) {
            return i.value();
        }
        throw new IllegalArgumentException(file + ": " + name + " = " + get(name) + " is not an integer");
    }

    public boolean bool(String name) {
        if (get(name) instanceof TlaValue.Bool b) {
            return b.value();
        }
        throw new IllegalArgumentException(file + ": " + name + " = " + get(name) + " is not TRUE or FALSE");
    }

    /** A set of integers, sorted. */
    public List<Integer> ints(String name) {
        List<Integer> out = new ArrayList<>();
        for (TlaValue e : set(name)) {
            if (!(e instanceof TlaValue.Int i)) {
                throw new IllegalArgumentException(file + ": " + name + " = " + get(name) + " is not a set of integers");
            }
            out.add((int) i.value());
        }
        return out;
    }

    /** A set of strings, sorted. */
    public Set<String> strings(String name) {
        Set<String> out = new TreeSet<>();
        for (TlaValue e : set(name)) {
            if (!(e instanceof TlaValue.Str s)) {
                throw new IllegalArgumentException(file + ": " + name + " = " + get(name) + " is not a set of strings");
            }
            out.add(s.value());
        }
        return out;
    }

    private Set<TlaValue> set(String name) {
        if (get(name) instanceof TlaValue.SetV s) {
            return s.elements();
        }
        throw new IllegalArgumentException(file + ": " + name + " = " + get(name) + " is not a set");
    }
}
