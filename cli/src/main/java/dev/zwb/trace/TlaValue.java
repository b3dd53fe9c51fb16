package dev.zwb.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value as TLC prints it in a trace, read into a tree so that two states
 * can be compared entry by entry: a record {@code [a |-> 1]}, a function
 * {@code 0 :> x @@ 1 :> y}, a tuple {@code << >>}, a set <code>{ }</code>, or an
 * atom (a string, a number, a boolean, printed as it came). Only what a trace
 * needs: no arithmetic, no evaluation.
 */
public sealed interface TlaValue {

    /** A record or a function: named entries, in the order TLC printed them. */
    record Entries(Map<String, TlaValue> entries, boolean record) implements TlaValue {
    }

    /** A tuple: entries 1..n. */
    record Tuple(List<TlaValue> items) implements TlaValue {
    }

    /** A set, kept whole: two sets differ or they do not. */
    record SetOf(String text) implements TlaValue {
    }

    record Atom(String text) implements TlaValue {
    }

    /** The value as TLC would print it (whitespace normalised). */
    default String text() {
        if (this instanceof Atom a) {
            return a.text();
        }
        if (this instanceof SetOf s) {
            return s.text();
        }
        if (this instanceof Tuple t) {
            List<String> parts = new ArrayList<>();
            t.items().forEach(i -> parts.add(i.text()));
            return "<<" + String.join(", ", parts) + ">>";
        }
        Entries e = (Entries) this;
        List<String> parts = new ArrayList<>();
        e.entries().forEach((k, v) -> parts.add(e.record() ? k + " |-> " + v.text() : k + " :> " + v.text()));
        return e.record() ? "[" + String.join(", ", parts) + "]" : "(" + String.join(" @@ ", parts) + ")";
    }

    static TlaValue parse(String text) {
        return new Reader(text).value();
    }

    /**
     * The places where b differs from a, as "path = new value" lines: into
     * records, functions and tuples of the same shape, whole otherwise.
     */
    static List<String> diff(String path, TlaValue a, TlaValue b) {
        List<String> out = new ArrayList<>();
        diff(path, a, b, out);
        return out;
    }

    private static void diff(String path, TlaValue a, TlaValue b, List<String> out) {
        if (a != null && a.text().equals(b.text())) {
            return;
        }
        if (a instanceof Entries x && b instanceof Entries y && x.record() == y.record()
                && x.entries().keySet().equals(y.entries().keySet())) {
            y.entries().forEach((k, v) -> diff(path + (y.record() ? "." + k : "[" + k + "]"),
                    x.entries().get(k), v, out));
            return;
        }
        if (a instanceof Tuple x && b instanceof Tuple y && x.items().size() == y.items().size()
                && y.items().stream().anyMatch(item -> !isNumber(item))) { // data such as <<slot, ver>> stays whole
            for (int i = 0; i < y.items().size(); i++) {
                diff(path + "[" + (i + 1) + "]", x.items().get(i), y.items().get(i), out);
            }
            return;
        }
        out.add(path + " = " + b.text());
    }

    private static boolean isNumber(TlaValue v) {
        return v instanceof Atom a && a.text().matches("-?\\d+");
    }

    /** A recursive-descent reader over TLC's printed values. */
    final class Reader {
        private final String s;
        private int i;

        Reader(String s) {
            this.s = s;
        }

        TlaValue value() {
            TlaValue first = single();
            skip();
            if (s.startsWith(":>", i)) {
                Map<String, TlaValue> entries = new LinkedHashMap<>();
                String key = first.text();
                while (true) {
                    i += 2;
                    TlaValue v = single();
                    entries.put(key, v);
                    skip();
                    if (!s.startsWith("@@", i)) {
                        break;
                    }
                    i += 2;
                    key = single().text();
                    skip();
                    expect(":>");
                    i -= 2;
                }
                return new Entries(entries, false);
            }
            return first;
        }

        private TlaValue single() {
            skip();
            if (s.startsWith("<<", i)) {
                i += 2;
                List<TlaValue> items = new ArrayList<>();
                skip();
                while (!s.startsWith(">>", i)) {
                    items.add(value());
                    skip();
                    if (s.startsWith(",", i)) {
                        i++;
                    }
                    skip();
                }
                i += 2;
                return new Tuple(items);
            }
            char c = s.charAt(i);
            if (c == '(') {
                i++;
                TlaValue v = value();
                skip();
                expect(")");
                return v;
            }
            if (c == '[') {
                i++;
                Map<String, TlaValue> fields = new LinkedHashMap<>();
                skip();
                while (s.charAt(i) != ']') {
                    int start = i;
                    while (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_') {
                        i++;
                    }
                    String name = s.substring(start, i);
                    skip();
                    expect("|->");
                    fields.put(name, value());
                    skip();
                    if (s.charAt(i) == ',') {
                        i++;
                    }
                    skip();
                }
                i++;
                return new Entries(fields, true);
            }
            if (c == '{') {
                int start = i;
                int depth = 0;
                do {
                    char d = s.charAt(i);
                    if (d == '"') {
                        i = s.indexOf('"', i + 1);
                    } else if (d == '{') {
                        depth++;
                    } else if (d == '}') {
                        depth--;
                    }
                    i++;
                } while (depth > 0);
                return new SetOf(s.substring(start, i).replaceAll("\\s+", " "));
            }
            if (c == '"') {
                int end = s.indexOf('"', i + 1);
                String atom = s.substring(i, end + 1);
                i = end + 1;
                return new Atom(atom);
            }
            int start = i;
            while (i < s.length() && !isDelimiter(s.charAt(i))) {
                i++;
            }
            return new Atom(s.substring(start, i));
        }

        private static boolean isDelimiter(char c) {
            return c == ',' || c == ')' || c == ']' || c == '>' || c == '}' || Character.isWhitespace(c)
                    || c == '@' || c == ':';
        }

        private void expect(String token) {
            skip();
            if (!s.startsWith(token, i)) {
                throw new IllegalArgumentException("expected " + token + " at " + i + " in " + s);
            }
            i += token.length();
        }

        private void skip() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }
    }
}
