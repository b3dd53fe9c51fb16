package dev.zwb.check;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.zwb.manifest.Expected;
import dev.zwb.trace.Trace;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Prints verdicts as a text table that fits 100 columns (--wide adds the
 * switches and the expected verdict), or as JSON with a schema version.
 */
public final class VerdictTable {

    /** Bumped whenever a field of the JSON changes meaning or goes away. */
    public static final int JSON_SCHEMA = 2;
    private static final int SWITCH_WIDTH = 24;

    private VerdictTable() {
    }

    public static String text(List<Verdict> verdicts, boolean wide) {
        List<String[]> rows = new ArrayList<>();
        rows.add(wide ? new String[] {"MODEL", "SWITCHES", "EXPECTED", "VERDICT", "LEN", "STATES", "TIME", ""}
                : new String[] {"MODEL", "VERDICT", "LEN", "STATES", "TIME", ""});
        for (Verdict v : verdicts) {
            long states = v.result().distinctStates();
            String len = v.traceLength() == null ? "" : String.valueOf(v.traceLength());
            String st = states < 0 ? "" : String.format(Locale.ROOT, "%,d", states);
            String time = String.format(Locale.ROOT, "%.1fs", v.result().wallMillis() / 1000.0);
            rows.add(wide ? new String[] {v.entry().model(), v.entry().switchText(), v.expectedText(),
                v.actualText(), len, st, time, v.status().mark()}
                : new String[] {v.entry().model(), v.actualText(), len, st, time, v.status().mark()});
        }
        StringBuilder sb = new StringBuilder(align(rows, wide ? new boolean[] {false, false, false, false, true,
            true, true, false} : new boolean[] {false, false, true, true, true, false}));
        long ok = verdicts.stream().filter(v -> v.status() == Verdict.Status.OK).count();
        long drift = verdicts.stream().filter(v -> v.status() == Verdict.Status.DRIFT).count();
        long adhoc = verdicts.stream().filter(v -> v.status() == Verdict.Status.ADHOC).count();
        if (adhoc == verdicts.size()) {
            sb.append(String.format(Locale.ROOT, "%d ad hoc run%s: no manifest comparison%n", adhoc,
                    adhoc == 1 ? "" : "s"));
        } else {
            sb.append(String.format(Locale.ROOT, "%d of %d verdicts as the manifest records%s%n", ok + drift,
                    verdicts.size(), drift > 0 ? " (" + drift + " with drift)" : ""));
        }
        for (Verdict v : verdicts) {
            List<String> why = new ArrayList<>(v.notes());
            if (v.problem() != null) {
                why.add(v.problem());
            }
            if (v.status() != Verdict.Status.OK && !why.isEmpty()) {
                sb.append("  ").append(v.entry().model()).append(" [").append(v.status().mark()).append("]: ")
                        .append(String.join("; ", why)).append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    /** "A,B,C,D" shortened to fit: "A,B +2". */
    static String shorten(String switches) {
        if (switches.length() <= SWITCH_WIDTH) {
            return switches;
        }
        String[] all = switches.split(",");
        StringBuilder sb = new StringBuilder(all[0]);
        int shown = 1;
        while (shown < all.length && sb.length() + all[shown].length() + 1 + 4 <= SWITCH_WIDTH) {
            sb.append(',').append(all[shown++]);
        }
        return sb + " +" + (all.length - shown);
    }

    /** Shortens the switch column of list-style rows; shared by the table and zwb list. */
    public static String switchCell(String switches, boolean wide) {
        return wide ? switches : shorten(switches);
    }

    public static String align(List<String[]> rows, boolean[] right) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String fill = " ".repeat(width[i] - r[i].length());
                line.append(right[i] ? fill + r[i] : r[i] + fill).append(i + 1 < r.length ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    /**
     * The verdicts as JSON: schema, versions, start and total time, per model the
     * expected and the actual verdict side by side, null where a number is unknown,
     * and for each counterexample its steps.
     */
    public static String json(List<Verdict> verdicts, Instant started, double totalSeconds, String zwbVersion,
                              Function<Verdict, Trace> traces) {
        JsonArray rows = new JsonArray();
        String tlc = null;
        for (Verdict v : verdicts) {
            if (tlc == null) {
                tlc = v.result().tlcVersion();
            }
            JsonObject o = new JsonObject();
            o.addProperty("model", v.entry().model());
            o.addProperty("design", v.entry().design());
            o.addProperty("variant", v.entry().variant());
            JsonArray sw = new JsonArray();
            v.entry().switches().forEach(sw::add);
            o.add("switches", sw);
            Expected x = v.entry().expected();
            if (x == null) {
                o.add("expected", JsonNull.INSTANCE);
            } else {
                JsonObject expected = new JsonObject();
                expected.addProperty("result", x.result());
                expected.addProperty("name", x.name());
                expected.add("distinctStates", number(x.distinctStates()));
                expected.add("depth", number(x.depth()));
                expected.add("traceLength", number(x.traceLength()));
                o.add("expected", expected);
            }
            JsonObject actual = new JsonObject();
            actual.addProperty("result", v.result().outcome().word());
            actual.addProperty("name", v.actualName());
            actual.add("distinctStates", number(v.result().distinctStates()));
            actual.add("depth", number(v.result().depth()));
            actual.add("traceLength", v.traceLength() == null ? JsonNull.INSTANCE
                    : new com.google.gson.JsonPrimitive(v.traceLength()));
            actual.addProperty("seconds", v.result().wallMillis() / 1000.0);
            actual.addProperty("error", v.problem());
            o.add("actual", actual);
            o.addProperty("status", v.status().name().toLowerCase(Locale.ROOT));
            JsonArray notes = new JsonArray();
            v.notes().forEach(notes::add);
            o.add("notes", notes);
            Trace t = v.result().outcome().isViolation() ? traces.apply(v) : null;
            o.add("counterexample", t == null ? JsonNull.INSTANCE : counterexample(t));
            rows.add(o);
        }
        JsonObject root = new JsonObject();
        root.addProperty("schema", JSON_SCHEMA);
        root.addProperty("zwb", zwbVersion);
        root.addProperty("tlc", tlc);
        root.addProperty("started", started.toString());
        root.addProperty("seconds", Math.round(totalSeconds * 10) / 10.0);
        root.add("verdicts", rows);
        root.addProperty("allMatch", verdicts.stream().allMatch(Verdict::match));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(root);
    }

    private static JsonObject counterexample(Trace t) {
        JsonArray steps = new JsonArray();
        for (Trace.Step s : t.steps()) {
            JsonObject step = new JsonObject();
            step.addProperty("number", s.number());
            step.addProperty("process", s.process());
            step.addProperty("label", s.label());
            step.addProperty("c", s.c());
            JsonArray changes = new JsonArray();
            s.changes().forEach(changes::add);
            step.add("changes", changes);
            steps.add(step);
        }
        JsonObject end = new JsonObject();
        end.add("steps", steps);
        end.addProperty("violation", t.violation());
        end.add("loopBackTo", t.loopBackTo() < 0 ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(t.loopBackTo()));
        end.addProperty("stuttering", t.stuttering());
        JsonArray ending = new JsonArray();
        dev.zwb.trace.TraceFormat.ending(t).forEach(ending::add);
        end.add("ending", ending);
        return end;
    }

    private static com.google.gson.JsonElement number(long n) {
        return n < 0 ? JsonNull.INSTANCE : new com.google.gson.JsonPrimitive(n);
    }
}
