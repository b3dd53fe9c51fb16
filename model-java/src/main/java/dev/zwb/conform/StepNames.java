package dev.zwb.conform;

import java.util.Map;

/**
 * The process and spec label of a trace step, read off two consecutive states and TLC's action
 * name (until the specs carry a lastStep ghost): the writeback task moved if wbPc changed; else
 * the process of a family of counters (envPc[p], endioPc[i]) whose entry changed; else the action
 * is a self-loop of the task (its name is the task's label) or a step of the device ("bdev").
 */
public final class StepNames {

    private StepNames() {
    }

    /** {process, label} of the step from {@code prev} to {@code cur}. */
    public static String[] of(Map<String, TlaValue> prev, Map<String, TlaValue> cur, String action) {
        if (cur.get("lastStep") instanceof TlaValue.Fn last) {
            return new String[] {text(last.field("proc")), text(last.field("label"))};
        }
        TlaValue wbBefore = prev.get("wbPc");
        if (wbBefore != null && !wbBefore.equals(cur.get("wbPc"))) {
            return new String[] {"wb", text(wbBefore)};
        }
        for (Map.Entry<String, TlaValue> e : cur.entrySet()) {
            String name = e.getKey();
            if (!name.endsWith("Pc") || name.equals("wbPc") || name.endsWith("RetPc")
                    || !(e.getValue() instanceof TlaValue.Fn after) || !(prev.get(name) instanceof TlaValue.Fn before)) {
                continue;
            }
            for (Map.Entry<TlaValue, TlaValue> b : before.map().entrySet()) {
                if (!b.getValue().equals(after.get(b.getKey()))) {
                    String family = name.substring(0, name.length() - 2);
                    String process = family.equals("env") ? text(b.getKey()) : family + "[" + text(b.getKey()) + "]";
                    return new String[] {process, text(b.getValue())};
                }
            }
        }
        if (wbBefore != null && text(wbBefore).equals(action)) {
            return new String[] {"wb", action};
        }
        return new String[] {"bdev", action};
    }

    private static String text(TlaValue v) {
        return v instanceof TlaValue.Str s ? s.value() : String.valueOf(v);
    }
}
