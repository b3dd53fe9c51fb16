package dev.zwb.conform;

import java.util.Map;

/**
 * The process and spec label of a trace step: the spec's lastStep ghost, which every zwb spec
 * sets; for a spec without it (an ad hoc one), read off two consecutive states and TLC's action
 * name: the writeback task moved if wbPc changed; else
 * the process of a family of counters (envPc[p], endioPc[i]) whose entry changed (an endio leaving
 * "idle" is the device's step, "bdev"); else an endio whose late counter (endioLate[i], instances
 * poised at complete()) went down; else the device's bioEndio, or a self-loop of the task at its
 * label.
 */
public final class StepNames {

    /** The actions of the backing device that move no counter. */
    private static final java.util.Set<String> DEVICE = java.util.Set.of("bioEndio");

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
                    if (text(b.getValue()).equals("idle")) {
                        return new String[] {"bdev", action}; // the device ended the bio: its endio starts
                    }
                    String family = name.substring(0, name.length() - 2);
                    String process = family.equals("env") ? text(b.getKey()) : family + "[" + text(b.getKey()) + "]";
                    return new String[] {process, text(b.getValue())};
                }
            }
        }
        // an endio instance poised at complete() (a counter per request, not a pc) took it
        for (Map.Entry<String, TlaValue> e : cur.entrySet()) {
            String name = e.getKey();
            if (name.endsWith("Late") && e.getValue() instanceof TlaValue.Fn after
                    && prev.get(name) instanceof TlaValue.Fn before) {
                for (Map.Entry<TlaValue, TlaValue> b : before.map().entrySet()) {
                    if (b.getValue().compareTo(after.get(b.getKey())) > 0) {
                        return new String[] {name.substring(0, name.length() - 4) + "[" + text(b.getKey()) + "]", action};
                    }
                }
            }
        }
        // an endio whose first step left its pc where it was (its first label is also its tail)
        if (cur.get("bio") instanceof TlaValue.Fn after && prev.get("bio") instanceof TlaValue.Fn before) {
            for (Map.Entry<TlaValue, TlaValue> b : before.map().entrySet()) {
                if (b.getValue() instanceof TlaValue.Fn was && after.get(b.getKey()) instanceof TlaValue.Fn now
                        && TlaValue.str("inflight").equals(was.field("st")) && TlaValue.str("ended").equals(now.field("st"))) {
                    return new String[] {"endio[" + text(b.getKey()) + "]", action};
                }
            }
        }
        if (action.equals("rcuGp")) {
            return new String[] {"rcu", action};
        }
        if (DEVICE.contains(action) || wbBefore == null) {
            return new String[] {"bdev", action};
        }
        // the task looped at its label (scan, releaseCtl, one iteration of next_request)
        return new String[] {"wb", text(wbBefore)};
    }

    private static String text(TlaValue v) {
        return v instanceof TlaValue.Str s ? s.value() : String.valueOf(v);
    }
}
