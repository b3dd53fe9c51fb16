package dev.zwb.conform;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a value in the syntax TLC prints in a trace: integers ({@code -1}), strings, TRUE/FALSE,
 * sets {@code {a, b}}, tuples {@code <<a, b>>}, records {@code [f |-> v, ...]}, functions
 * {@code k :> v @@ k :> v}, any of them wrapped in parentheses. A malformed value is a
 * {@link IllegalArgumentException} naming the position and what was expected.
 */
public final class TlaParser {

    private final String text;
    private int pos;

    private TlaParser(String text) {
        this.text = text;
    }

    /** The value {@code text} denotes. */
    public static TlaValue parse(String text) {
        TlaParser p = new TlaParser(text);
        TlaValue v = p.function();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("end of value");
        }
        return v;
    }

    /** {@code primary} or {@code primary :> primary (@@ primary :> primary)*}. */
    private TlaValue function() {
        TlaValue first = primary();
        if (!peek(":>")) {
            return first;
        }
        SortedMap<TlaValue, TlaValue> map = new TreeMap<>();
        TlaValue key = first;
        for (;;) {
            expect(":>");
            map.put(key, primary());
            if (!peek("@@")) {
                return new TlaValue.Fn(map);
            }
            expect("@@");
            key = primary();
        }
    }

    private TlaValue primary() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("a value");
        }
        char c = text.charAt(pos);
        if (peek("<<")) {
            expect("<<");
            return TlaValue.tuple(list(">>"));
        }
        if (c == '{') {
            expect("{");
            return TlaValue.set(list("}"));
        }
        if (c == '[') {
            return record();
        }
        if (c == '(') {
            expect("(");
            TlaValue v = function();
            expect(")");
            return v;
        }
        if (c == '"') {
            int end = text.indexOf('"', pos + 1);
            if (end < 0) {
                throw error("a closing quote");
            }
            String s = text.substring(pos + 1, end);
            pos = end + 1;
            return TlaValue.str(s);
        }
        if (c == '-' || Character.isDigit(c)) {
            int start = pos++;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            try {
                return TlaValue.integer(Long.parseLong(text.substring(start, pos)));
            } catch (NumberFormatException e) {
                pos = start;
                throw error("an integer");
            }
        }
        String word = identifier();
        return switch (word) {
            case "TRUE" -> TlaValue.bool(true);
            case "FALSE" -> TlaValue.bool(false);
            default -> throw error("a value, not " + word);
        };
    }

    private TlaValue record() {
        expect("[");
        SortedMap<TlaValue, TlaValue> map = new TreeMap<>();
        skipSpace();
        if (peek("]")) {
            expect("]");
            return new TlaValue.Fn(map);
        }
        for (;;) {
            String name = identifier();
            expect("|->");
            map.put(TlaValue.str(name), function());
            skipSpace();
            if (peek("]")) {
                expect("]");
                return new TlaValue.Fn(map);
            }
            expect(",");
        }
    }

    private List<TlaValue> list(String close) {
        List<TlaValue> out = new ArrayList<>();
        skipSpace();
        if (peek(close)) {
            expect(close);
            return out;
        }
        for (;;) {
            out.add(function());
            skipSpace();
            if (peek(close)) {
                expect(close);
                return out;
            }
            expect(",");
        }
    }

    private String identifier() {
        skipSpace();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("a name");
        }
        return text.substring(start, pos);
    }

    private boolean peek(String token) {
        skipSpace();
        return text.startsWith(token, pos);
    }

    private void expect(String token) {
        if (!peek(token)) {
            throw error("'" + token + "'");
        }
        pos += token.length();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("bad TLC value at column " + (pos + 1) + ": expected " + expected
                + " in " + text);
    }
}
