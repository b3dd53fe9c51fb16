package dev.zwb.check;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Prints verdicts as an aligned text table or as JSON. */
public final class VerdictTable {

    private static final String[] HEAD =
            {"DESIGN", "VARIANT", "SWITCHES", "EXPECTED", "ACTUAL", "STATES", "TIME", "MATCH"};

    private VerdictTable() {
    }

    public static String text(List<Verdict> verdicts) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEAD);
        for (Verdict v : verdicts) {
            long states = v.result().distinctStates();
            rows.add(new String[] {
                v.entry().design(),
                v.entry().variant(),
                v.entry().switchText(),
                v.expectedText(),
                v.actualText(),
                states < 0 ? "-" : String.format(Locale.ROOT, "%,d", states),
                String.format(Locale.ROOT, "%.1fs", v.result().wallMillis() / 1000.0),
                v.match() ? "ok" : "MISMATCH"
            });
        }
        int[] width = new int[HEAD.length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                boolean right = i == 5 || i == 6;
                String cell = right ? pad(r[i], width[i], true) : pad(r[i], width[i], false);
                sb.append(cell).append(i + 1 < r.length ? "  " : "");
            }
            sb.append(System.lineSeparator());
        }
        long ok = verdicts.stream().filter(Verdict::match).count();
        sb.append(String.format(Locale.ROOT, "%d of %d models match the manifest%n", ok, verdicts.size()));
        for (Verdict v : verdicts) {
            if (!v.match()) {
                sb.append("  ").append(v.entry().model()).append(": ").append(String.join("; ", v.mismatches()))
                        .append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(Math.max(0, w - s.length()));
        return right ? fill + s : s + fill;
    }

    public static String json(List<Verdict> verdicts) {
        JsonArray rows = new JsonArray();
        for (Verdict v : verdicts) {
            JsonObject o = new JsonObject();
            o.addProperty("model", v.entry().model());
            o.addProperty("design", v.entry().design());
            o.addProperty("variant", v.entry().variant());
            JsonArray sw = new JsonArray();
            v.entry().switches().forEach(sw::add);
            o.add("switches", sw);
            JsonObject expected = new JsonObject();
            expected.addProperty("result", v.entry().expected().result());
            if (v.entry().expected().name() != null) {
                expected.addProperty("name", v.entry().expected().name());
            }
            o.add("expected", expected);
            JsonObject actual = new JsonObject();
            actual.addProperty("result", v.result().outcome().word());
            if (v.actualName() != null) {
                actual.addProperty("name", v.actualName());
            }
            if (v.result().outcome().isViolation()) {
                actual.addProperty("traceLength", v.result().traceLength());
            }
            actual.addProperty("distinctStates", v.result().distinctStates());
            actual.addProperty("depth", v.result().depth());
            actual.addProperty("seconds", v.result().wallMillis() / 1000.0);
            if (v.problem() != null) {
                actual.addProperty("error", v.problem());
            }
            o.add("actual", actual);
            o.addProperty("match", v.match());
            JsonArray why = new JsonArray();
            v.mismatches().forEach(why::add);
            o.add("mismatches", why);
            rows.add(o);
        }
        JsonObject root = new JsonObject();
        root.add("verdicts", rows);
        root.addProperty("allMatch", verdicts.stream().allMatch(Verdict::match));
        return new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root);
    }
}
