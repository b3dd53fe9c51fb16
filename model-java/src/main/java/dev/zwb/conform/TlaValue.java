package dev.zwb.conform;

import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A TLA+ value as TLC prints it, reduced to what the specs use: integers, strings, booleans,
 * finite sets and finite functions. Records and tuples are functions (a record's domain is its
 * field names, a tuple's is 1..n), so {@code <<a, b>>} equals {@code (1 :> a @@ 2 :> b)} and
 * {@code [x |-> 1]} equals {@code ("x" :> 1)}, as they do in TLA+. Equality is structural;
 * values are immutable and totally ordered (for canonical printing only).
 */
public sealed interface TlaValue extends Comparable<TlaValue> {

    /** An integer. */
    record Int(long value) implements TlaValue {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A string. */
    record Str(String value) implements TlaValue {
        @Override
        public String toString() {
            return "\"" + value + "\"";
        }
    }

    /** TRUE or FALSE. */
    record Bool(boolean value) implements TlaValue {
        @Override
        public String toString() {
            return value ? "TRUE" : "FALSE";
        }
    }

    /** A finite set. */
    record SetV(SortedSet<TlaValue> elements) implements TlaValue {
        public SetV {
            elements = Collections.unmodifiableSortedSet(new TreeSet<>(elements));
        }

        @Override
        public String toString() {
            return "{" + String.join(", ", elements.stream().map(Object::toString).toList()) + "}";
        }
    }

    /** A finite function: a record, a tuple or {@code (k :> v @@ ...)}. */
    record Fn(SortedMap<TlaValue, TlaValue> map) implements TlaValue {
        public Fn {
            map = Collections.unmodifiableSortedMap(new TreeMap<>(map));
        }

        /** The value at {@code key}, or null outside the domain. */
        public TlaValue get(TlaValue key) {
            return map.get(key);
        }

        /** The value at field {@code name} of a record. */
        public TlaValue field(String name) {
            return map.get(str(name));
        }

        @Override
        public String toString() {
            if (map.isEmpty()) {
                return "<<>>";
            }
            if (isTuple()) {
                return "<<" + String.join(", ", map.values().stream().map(Object::toString).toList()) + ">>";
            }
            if (map.keySet().stream().allMatch(k -> k instanceof Str s && s.value().matches("[A-Za-z_]\\w*"))) {
                StringBuilder b = new StringBuilder("[");
                map.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(((Str) k).value())
                        .append(" |-> ").append(v));
                return b.append(']').toString();
            }
            StringBuilder b = new StringBuilder("(");
            map.forEach((k, v) -> b.append(b.length() > 1 ? " @@ " : "").append(k).append(" :> ").append(v));
            return b.append(')').toString();
        }

        private boolean isTuple() {
            long i = 1;
            for (TlaValue k : map.keySet()) {
                if (!(k instanceof Int n) || n.value() != i++) {
                    return false;
                }
            }
            return true;
        }
    }

    static Int integer(long v) {
        return new Int(v);
    }

    static Str str(String v) {
        return new Str(v);
    }

    static Bool bool(boolean v) {
        return new Bool(v);
    }

    /** A set of the given elements. */
    static SetV set(Iterable<? extends TlaValue> elements) {
        SortedSet<TlaValue> s = new TreeSet<>();
        elements.forEach(s::add);
        return new SetV(s);
    }

    static SetV set(TlaValue... elements) {
        return set(List.of(elements));
    }

    /** {@code <<e1, ..., en>>}. */
    static Fn tuple(TlaValue... elements) {
        return tuple(List.of(elements));
    }

    static Fn tuple(List<? extends TlaValue> elements) {
        SortedMap<TlaValue, TlaValue> m = new TreeMap<>();
        for (int i = 0; i < elements.size(); i++) {
            m.put(integer(i + 1), elements.get(i));
        }
        return new Fn(m);
    }

    /** A record; {@code fields} alternates names and values. */
    static Fn record(Object... fields) {
        SortedMap<TlaValue, TlaValue> m = new TreeMap<>();
        for (int i = 0; i < fields.length; i += 2) {
            m.put(str((String) fields[i]), (TlaValue) fields[i + 1]);
        }
        return new Fn(m);
    }

    /** A function from the map's keys. */
    static Fn fn(Map<? extends TlaValue, ? extends TlaValue> map) {
        return new Fn(new TreeMap<>(map));
    }

    private int rank() {
        if (this instanceof Bool) {
            return 0;
        }
        if (this instanceof Int) {
            return 1;
        }
        if (this instanceof Str) {
            return 2;
        }
        return this instanceof SetV ? 3 : 4;
    }

    @Override
    default int compareTo(TlaValue o) {
        int r = Integer.compare(rank(), o.rank());
        if (r != 0) {
            return r;
        }
        if (this instanceof Bool a) {
            return Boolean.compare(a.value(), ((Bool) o).value());
        }
        if (this instanceof Int a) {
            return Long.compare(a.value(), ((Int) o).value());
        }
        if (this instanceof Str a) {
            return a.value().compareTo(((Str) o).value());
        }
        if (this instanceof SetV a) {
            return compareSeq(a.elements(), ((SetV) o).elements());
        }
        Fn a = (Fn) this;
        Fn b = (Fn) o;
        int k = compareSeq(a.map().keySet(), b.map().keySet());
        return k != 0 ? k : compareSeq(a.map().values(), b.map().values());
    }

    private static int compareSeq(java.util.Collection<TlaValue> a, java.util.Collection<TlaValue> b) {
        Iterator<TlaValue> i = a.iterator();
        Iterator<TlaValue> j = b.iterator();
        while (i.hasNext() && j.hasNext()) {
            int c = i.next().compareTo(j.next());
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(i.hasNext(), j.hasNext());
    }
}
