package dev.zwb.tlc;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The spec label a trace step executed, and the process that executed it.
 *
 * TLC names the action it took, but for an action under a quantifier
 * ("\E p \in EnvProcs : ...") the name is the quantified operator. The
 * label is then read off the program counters: every variable whose name
 * ends in "Pc" is a program counter, either of one process (wbPc) or of a
 * family (envPc[p], endioPc[r]); the process that moved is the one whose
 * counter changed (the writeback task's, wbPc, when several did), and the
 * label is the counter's value before the step. A saved return label such
 * as wbRetPc is not a counter.
 */
public final class StepLabel {

    private static final Pattern ENTRY = Pattern.compile("(\\w+) \\|-> \"(\\w+)\"|(\\d+) :> \"(\\w+)\"");
    private static final Pattern TUPLE_ITEM = Pattern.compile("\"(\\w+)\"");

    private StepLabel() {
    }

    /** "process: label" for the step from prev to cur; the TLC action name when no counter moved. */
    public static String of(TraceState prev, TraceState cur) {
        if (prev == null) {
            return cur.action();
        }
        // the writeback task's counter first: when it moves, the task took the step
        java.util.List<Map.Entry<String, String>> pcs = new java.util.ArrayList<>();
        for (Map.Entry<String, String> v : cur.vars().entrySet()) {
            String name = v.getKey();
            // a saved return label (wbRetPc) is data, not a program counter
            if (name.endsWith("Pc") && !name.endsWith("RetPc")) {
                pcs.add(name.equals("wbPc") ? 0 : pcs.size(), v);
            }
        }
        for (Map.Entry<String, String> v : pcs) {
            String name = v.getKey();
            String before = prev.var(name);
            if (before == null || before.equals(v.getValue())) {
                continue;
            }
            if (before.startsWith("\"")) {
                return name.substring(0, name.length() - 2) + ": " + before.replace("\"", "");
            }
            Map<String, String> b = entries(before);
            Map<String, String> a = entries(v.getValue());
            for (Map.Entry<String, String> e : b.entrySet()) {
                if (!e.getValue().equals(a.get(e.getKey()))) {
                    return e.getKey() + ": " + e.getValue();
                }
            }
        }
        return cur.action();
    }

    /** The entries of a record, a function (k :> v @@ ...) or a tuple of strings. */
    static Map<String, String> entries(String value) {
        Map<String, String> out = new LinkedHashMap<>();
        String v = value.trim();
        if (v.startsWith("<<")) {
            Matcher m = TUPLE_ITEM.matcher(v);
            int i = 1;
            while (m.find()) {
                out.put(String.valueOf(i++), m.group(1));
            }
            return out;
        }
        Matcher m = ENTRY.matcher(v);
        while (m.find()) {
            if (m.group(1) != null) {
                out.put(m.group(1), m.group(2));
            } else {
                out.put(m.group(3), m.group(4));
            }
        }
        return out;
    }
}
