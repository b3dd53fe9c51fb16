package dev.zwb.trace;

import dev.zwb.conform.TlaValue;

import java.util.ArrayList;
import java.util.List;

/**
 * The places where a variable's new value differs from its old one, as
 * "path = new value" lines, over the values of {@code dev.zwb.conform.TlaParser}
 * (the replay's reader of TLC's printed values): into records, functions and tuples of the
 * same domain; whole for sets, atoms, and tuples of numbers (data such as
 * {@code <<slot, ver>>}).
 */
final class ValueDiff {

    private ValueDiff() {
    }

    static List<String> of(String name, TlaValue old, TlaValue now) {
        List<String> out = new ArrayList<>();
        diff(name, old, now, out);
        return out;
    }

    private static void diff(String path, TlaValue a, TlaValue b, List<String> out) {
        if (a.equals(b)) {
            return;
        }
        if (a instanceof TlaValue.Fn x && b instanceof TlaValue.Fn y && x.map().keySet().equals(y.map().keySet())
                && !(isTuple(y) && y.map().values().stream().allMatch(v -> v instanceof TlaValue.Int))) {
            boolean record = y.map().keySet().stream()
                    .allMatch(k -> k instanceof TlaValue.Str s && s.value().matches("[A-Za-z_]\\w*"));
            y.map().forEach((k, v) -> diff(path + (record ? "." + ((TlaValue.Str) k).value() : "[" + k + "]"),
                    x.map().get(k), v, out));
            return;
        }
        out.add(path + " = " + b);
    }

    /** A function on 1..n: a tuple as TLC prints it. */
    private static boolean isTuple(TlaValue.Fn f) {
        long i = 1;
        for (TlaValue k : f.map().keySet()) {
            if (!(k instanceof TlaValue.Int n) || n.value() != i++) {
                return false;
            }
        }
        return true;
    }
}
