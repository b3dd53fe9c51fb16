package dev.zwb.validate;

import dev.zwb.conform.Refinement;
import dev.zwb.conform.TlaValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a logged Java value demands of the spec's value of the same variable, as the replay
 * compares them: both sides go through the mapping's {@link Refinement#project}, which clears
 * dead fields and merges spellings. A spec successor matches a logged state when, for every
 * variable, its projection equals the projection of the Java value; a pattern says that without
 * the projection, leaf by leaf:
 * <ul>
 *   <li>{@link Exact}: the value itself;
 *   <li>{@link Any}: a dead leaf (the projection replaces it by a constant, whatever it holds);
 *   <li>{@link OneOf}: a string the projection merges with others (the spec's spellings of it);
 *   <li>{@link Fn}: a function some of whose leaves are not exact; its domain must be the same.
 * </ul>
 * The patterns are found by probing the mapping's own projection (so they follow it when it
 * changes): a leaf is dead if its projection does not change when the leaf does; a string leaf
 * may also be any string of the spec that projects alike.
 */
public sealed interface Pattern {

    record Exact(TlaValue value) implements Pattern {
    }

    record Any() implements Pattern {
    }

    record OneOf(TreeSet<TlaValue> values) implements Pattern {
    }

    record Fn(SortedMap<TlaValue, Pattern> map) implements Pattern {
    }

    /** A value no spec holds, of each leaf type: the probe. */
    TlaValue.Int PROBE_INT = new TlaValue.Int(-1_000_003);
    TlaValue.Str PROBE_STR = new TlaValue.Str("zwbProbe");

    /** The patterns of every variable of a logged state. */
    static Map<String, Pattern> of(Refinement refinement, Map<String, TlaValue> state, List<TlaValue.Str> spellings) {
        Map<String, Pattern> out = new LinkedHashMap<>();
        state.forEach((name, value) -> {
            if (!refinement.notCompared().containsKey(name)) {
                out.put(name, new Prober(refinement, name, state, spellings).pattern(value, List.of()));
            }
        });
        return out;
    }

    /** Probes one variable's projection. */
    final class Prober {
        private final Refinement refinement;
        private final String name;
        private final Map<String, TlaValue> state;
        private final TlaValue whole;
        private final TlaValue projected;
        private final List<TlaValue.Str> spellings;

        Prober(Refinement refinement, String name, Map<String, TlaValue> state, List<TlaValue.Str> spellings) {
            this.refinement = refinement;
            this.name = name;
            this.state = state;
            this.whole = state.get(name);
            this.projected = refinement.project(name, whole, state);
            this.spellings = spellings;
        }

        Pattern pattern(TlaValue v, List<TlaValue> path) {
            if (v instanceof TlaValue.Fn f && !f.map().isEmpty()) {
                SortedMap<TlaValue, Pattern> m = new TreeMap<>();
                boolean exact = true;
                boolean dead = true;
                for (Map.Entry<TlaValue, TlaValue> e : f.map().entrySet()) {
                    List<TlaValue> p = new ArrayList<>(path);
                    p.add(e.getKey());
                    Pattern child = pattern(e.getValue(), p);
                    m.put(e.getKey(), child);
                    exact &= child instanceof Exact;
                    dead &= child instanceof Any;
                }
                return exact ? new Exact(at(projected, path)) : dead && !path.isEmpty() ? new Any() : new Fn(m);
            }
            TlaValue mine = at(projected, path);
            TlaValue probe = probe(v);
            TlaValue out = projectWith(path, probe);
            if (out != null && out.equals(mine) && !probe.equals(mine)) {
                return new Any();
            }
            if (v instanceof TlaValue.Str) {
                TreeSet<TlaValue> alike = new TreeSet<>();
                alike.add(mine);
                for (TlaValue.Str s : spellings) {
                    if (!alike.contains(s) && mine.equals(projectWith(path, s))) {
                        alike.add(s);
                    }
                }
                if (alike.size() > 1) {
                    return new OneOf(alike);
                }
            }
            return new Exact(mine);
        }

        private static TlaValue probe(TlaValue v) {
            if (v instanceof TlaValue.Bool b) {
                return new TlaValue.Bool(!b.value());
            }
            if (v instanceof TlaValue.Str) {
                return PROBE_STR;
            }
            if (v instanceof TlaValue.SetV) {
                return TlaValue.set(List.of(PROBE_INT));
            }
            return PROBE_INT;
        }

        /** The projection at {@code path} with the leaf there replaced by {@code leaf}; null if it cannot take it. */
        private TlaValue projectWith(List<TlaValue> path, TlaValue leaf) {
            TlaValue changed = replace(whole, path, 0, leaf);
            Map<String, TlaValue> s = new LinkedHashMap<>(state);
            s.put(name, changed);
            try {
                return at(refinement.project(name, changed, s), path);
            } catch (RuntimeException e) {
                return null; // the projection reads this leaf as a type it does not have: it is live
            }
        }

        private static TlaValue replace(TlaValue v, List<TlaValue> path, int i, TlaValue leaf) {
            if (i == path.size()) {
                return leaf;
            }
            TlaValue.Fn f = (TlaValue.Fn) v;
            SortedMap<TlaValue, TlaValue> m = new TreeMap<>(f.map());
            m.put(path.get(i), replace(f.get(path.get(i)), path, i + 1, leaf));
            return new TlaValue.Fn(m);
        }

        private static TlaValue at(TlaValue v, List<TlaValue> path) {
            for (TlaValue k : path) {
                if (!(v instanceof TlaValue.Fn f) || f.get(k) == null) {
                    return null;
                }
                v = f.get(k);
            }
            return v;
        }
    }
}
