package dev.zwb.trace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A trace as text for a terminal, as a Markdown table, or as a Mermaid sequence diagram. */
public final class TraceFormat {

    /** Longest change line shown in a terminal without --full. */
    private static final int WIDTH = 100;

    /** A change's path → the shared object it belongs to (for the sequence diagram). */
    private static final Pattern INDEXED = Pattern.compile("^(\\w+)\\[([^\\]]+)]");
    private static final Map<String, String> OBJECTS = Map.ofEntries(
            Map.entry("tbl", "slot"), Map.entry("slotLock", "slot"), Map.entry("latest", "slot"),
            Map.entry("disk", "block"), Map.entry("reqPool", "req"), Map.entry("bio", "req"));
    private static final Map<String, String> WHOLE = Map.ofEntries(
            Map.entry("bitmap", "bitmap"), Map.entry("ctlSt", "wb_ctl"), Map.entry("doneReqs", "wb_ctl"),
            Map.entry("idleReqs", "wb_ctl"), Map.entry("numInflight", "wb_ctl"), Map.entry("bio", "bio"),
            Map.entry("ppCtl", "pp_ctl"));

    private TraceFormat() {
    }

    /** The closing line: what the last state breaks, or how a liveness counterexample goes on. */
    public static List<String> ending(Trace t) {
        List<String> out = new ArrayList<>();
        int last = t.steps().isEmpty() ? 0 : t.steps().get(t.steps().size() - 1).number();
        if (t.loopBackTo() >= 0) {
            out.add("after state " + last + " the behaviour goes back to state " + t.loopBackTo()
                    + " and repeats forever: " + t.violation() + " is violated");
        } else if (t.stuttering()) {
            List<String> at = new ArrayList<>();
            t.lastCounters().forEach((k, v) -> at.add(k + " = " + v));
            out.add("from state " + last + " on nothing moves (stuttering): " + t.violation() + " is violated; "
                    + String.join(", ", at));
        } else if (t.violation().equals("deadlock")) {
            List<String> at = new ArrayList<>();
            t.lastCounters().forEach((k, v) -> at.add(k + " = " + v));
            out.add("state " + last + " is a deadlock: no process can take a step; " + String.join(", ", at));
        } else {
            out.add("state " + last + " violates " + t.violation());
        }
        return out;
    }

    public static String text(Trace t, boolean full) {
        StringBuilder sb = new StringBuilder();
        for (Trace.Step s : t.steps()) {
            String head = String.format("%3d  %-12s %-22s ", s.number(), s.process(), s.label());
            sb.append((head + (full ? s.c() : clip(s.c(), WIDTH - head.length()))).stripTrailing())
                    .append(System.lineSeparator());
            List<String> lines = full ? whole(s) : s.changes();
            for (String c : lines) {
                sb.append("       ").append(full ? c : clip(c, WIDTH - 7)).append(System.lineSeparator());
            }
        }
        for (String e : ending(t)) {
            sb.append(" ✗ ").append(e).append(System.lineSeparator());
        }
        return sb.toString();
    }

    private static List<String> whole(Trace.Step s) {
        List<String> out = new ArrayList<>();
        s.state().forEach((k, v) -> out.add(k + " = " + v));
        return out;
    }

    private static String clip(String line, int width) {
        return line.length() <= width ? line : line.substring(0, width - 1) + "…";
    }

    public static String markdown(Trace t) {
        StringBuilder sb = new StringBuilder();
        sb.append("| # | process | label | C | what changed |").append('\n');
        sb.append("|---:|---|---|---|---|").append('\n');
        for (Trace.Step s : t.steps()) {
            List<String> cells = new ArrayList<>();
            for (String c : s.changes()) {
                cells.add("`" + c.replace("|", "\\|") + "`");
            }
            sb.append("| ").append(s.number()).append(" | ").append(s.process()).append(" | `").append(s.label())
                    .append("` | ").append(s.c().isEmpty() ? "" : "`" + s.c() + "`").append(" | ")
                    .append(String.join("<br>", cells)).append(" |").append('\n');
        }
        sb.append('\n');
        for (String e : ending(t)) {
            sb.append("**✗ ").append(e.replace("|", "\\|")).append("**").append('\n');
        }
        return sb.toString();
    }

    /** A sequence diagram: processes and the shared objects they touch; messages carry the step numbers. */
    public static String mermaid(Trace t) {
        Map<String, String> ids = new LinkedHashMap<>();
        for (String p : t.processes()) {
            ids.put(p, "P" + (ids.size() + 1));
        }
        Map<String, String> objects = new LinkedHashMap<>();
        List<String> body = new ArrayList<>();
        for (Trace.Step s : t.steps()) {
            if (s.process().equals("init")) {
                continue;
            }
            String from = ids.get(s.process());
            List<String> touched = new ArrayList<>();
            for (String c : s.changes()) {
                String o = object(c);
                if (o != null && !touched.contains(o)) {
                    touched.add(o);
                }
            }
            if (touched.isEmpty()) {
                body.add("    Note over " + from + ": " + s.number() + " " + s.label());
            }
            for (String o : touched) {
                String id = objects.computeIfAbsent(o, k -> "O" + (objects.size() + 1));
                body.add("    " + from + "->>" + id + ": " + s.number() + " " + s.label());
            }
        }
        StringBuilder sb = new StringBuilder("sequenceDiagram\n");
        ids.forEach((p, id) -> sb.append("    participant ").append(id).append(" as ").append(p).append('\n'));
        objects.forEach((o, id) -> sb.append("    participant ").append(id).append(" as ").append(o).append('\n'));
        body.forEach(l -> sb.append(l).append('\n'));
        if (!t.steps().isEmpty()) {
            Trace.Step last = t.steps().get(t.steps().size() - 1);
            String who = ids.getOrDefault(last.process(), ids.values().stream().findFirst().orElse(null));
            if (who != null) {
                sb.append("    Note over ").append(who).append(": ")
                        .append(ending(t).get(0).replace(";", ",").replace("#", "")).append('\n');
            }
        }
        return sb.toString();
    }

    /** "tbl[2].flags = ..." → "slot 2"; "ctlSt = ..." → "wb_ctl"; null for the task's own variables. */
    static String object(String change) {
        Matcher m = INDEXED.matcher(change);
        if (m.find() && OBJECTS.containsKey(m.group(1))) {
            return OBJECTS.get(m.group(1)) + " " + m.group(2);
        }
        String var = change.split("[ .\\[]", 2)[0];
        return WHOLE.get(var);
    }
}
