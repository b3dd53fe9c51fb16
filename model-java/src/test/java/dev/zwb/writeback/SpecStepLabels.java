package dev.zwb.writeback;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value of a spec's {@code StepLabels}, read from the .tla text: the union and difference of
 * named label sets and set literals ({@code (WbLabels \ {"done"}) \cup OtherSteps \cup ...}), each
 * name defined in the spec or in ZramCommon. Just enough TLA+ for the label definitions; anything
 * else is a failure naming what was not understood.
 */
final class SpecStepLabels {

    private static final Pattern TOKEN = Pattern.compile(
            "\\\\cup|\\\\|\\(|\\)|\\{[^}]*}|[A-Za-z_]\\w*|\\S");

    private final List<String> modules;

    /** {@code modules}: the texts that may define a name, searched in order. */
    SpecStepLabels(List<String> modules) {
        this.modules = modules;
    }

    Set<String> stepLabels() {
        return value("StepLabels");
    }

    /** The set a name is defined as. */
    Set<String> value(String name) {
        return evaluate(definition(name), name);
    }

    /** The right-hand side of "Name == ..." with its indented continuation lines, comments removed. */
    private String definition(String name) {
        Pattern def = Pattern.compile("(?m)^" + Pattern.quote(name) + " ==(.*(?:\\n[ \\t]+.*)*)");
        for (String module : modules) {
            Matcher m = def.matcher(module);
            if (m.find()) {
                return m.group(1).replaceAll("\\\\\\*[^\\n]*", "");
            }
        }
        throw new IllegalArgumentException("no definition of " + name);
    }

    private Set<String> evaluate(String text, String name) {
        List<String> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group());
        }
        int[] at = {0};
        Set<String> out = union(tokens, at, name);
        if (at[0] != tokens.size()) {
            throw new IllegalArgumentException(name + ": cannot read '" + tokens.get(at[0]) + "'");
        }
        return out;
    }

    private Set<String> union(List<String> t, int[] at, String name) {
        Set<String> out = difference(t, at, name);
        while (at[0] < t.size() && t.get(at[0]).equals("\\cup")) {
            at[0]++;
            out.addAll(difference(t, at, name));
        }
        return out;
    }

    private Set<String> difference(List<String> t, int[] at, String name) {
        Set<String> out = atom(t, at, name);
        while (at[0] < t.size() && t.get(at[0]).equals("\\")) {
            at[0]++;
            out.removeAll(atom(t, at, name));
        }
        return out;
    }

    private Set<String> atom(List<String> t, int[] at, String name) {
        if (at[0] >= t.size()) {
            throw new IllegalArgumentException(name + ": ends early");
        }
        String tok = t.get(at[0]++);
        if (tok.equals("(")) {
            Set<String> inner = union(t, at, name);
            if (at[0] >= t.size() || !t.get(at[0]++).equals(")")) {
                throw new IllegalArgumentException(name + ": unclosed (");
            }
            return inner;
        }
        if (tok.startsWith("{")) {
            Set<String> out = new TreeSet<>();
            Matcher s = Pattern.compile("\"(\\w+)\"").matcher(tok);
            while (s.find()) {
                out.add(s.group(1));
            }
            return out;
        }
        if (tok.matches("[A-Za-z_]\\w*")) {
            return new TreeSet<>(value(tok));
        }
        throw new IllegalArgumentException(name + ": cannot read '" + tok + "'");
    }
}
