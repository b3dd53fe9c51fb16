package dev.zwb;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How {@code pit-equivalent.tsv} names a mutant so that the name survives code moving about:
 * class, method, mutator and PIT's description of the mutant (which names the removed call, the
 * replaced operator or return value), plus an occurrence: the n-th mutant with those four in
 * the method, counted in source order (line, then bytecode index) over every mutant PIT made,
 * killed or not. The line is not part of the key; the file keeps it as a hint for the reader.
 *
 * <p>The file has seven tab-separated columns: class, method, mutator (PIT's simple name),
 * description, occurrence (1, 2, ...), line (a hint), and a one-line reason.
 */
final class PitKeys {

    private PitKeys() {
    }

    /** The part of a mutant's identity that does not depend on its line. */
    record Key(String cls, String method, String mutator, String description, int occurrence) {
        @Override
        public String toString() {
            return String.join("\t", cls, method, mutator, description, Integer.toString(occurrence));
        }
    }

    /** One mutant of PIT's report, with its key. */
    record Mutation(String pkg, Key key, int line, String status) {
        boolean detected() {
            return !status.equals("SURVIVED") && !status.equals("NO_COVERAGE");
        }
    }

    /** One line of the justification file. */
    record Justified(Key key, int lineHint, String reason) {
    }

    /** A line of the file that is not what the file accepts. */
    static final class BadLine extends Exception {
        BadLine(String message) {
            super(message);
        }
    }

    /**
     * Reads PIT's {@code mutations.xml} and gives each mutant its key. Occurrences are counted
     * over all mutants, so killing one survivor never renumbers another.
     */
    static List<Mutation> read(InputStream xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
        NodeList nodes = doc.getElementsByTagName("mutation");
        record Raw(String cls, String method, String mutator, String description, int line, int index, String status) {
        }
        List<Raw> raws = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String mutator = text(e, "mutator");
            raws.add(new Raw(text(e, "mutatedClass"), text(e, "mutatedMethod"),
                    mutator.substring(mutator.lastIndexOf('.') + 1), text(e, "description"),
                    Integer.parseInt(text(e, "lineNumber")), Integer.parseInt(text(e, "index")),
                    e.getAttribute("status")));
        }
        List<Raw> ordered = new ArrayList<>(raws);
        ordered.sort(Comparator.comparingInt(Raw::line).thenComparingInt(Raw::index));
        Map<String, Integer> seen = new HashMap<>();
        Map<Raw, Integer> occurrence = new java.util.IdentityHashMap<>();
        for (Raw r : ordered) {
            String group = String.join("\t", r.cls(), r.method(), r.mutator(), r.description());
            occurrence.put(r, seen.merge(group, 1, Integer::sum));
        }
        List<Mutation> out = new ArrayList<>();
        for (Raw r : raws) {
            out.add(new Mutation(packageOf(r.cls()), new Key(r.cls(), r.method(), r.mutator(), r.description(),
                    occurrence.get(r)), r.line(), r.status()));
        }
        return out;
    }

    /** The package of {@code cls}, an inner class counted with its outer class. */
    static String packageOf(String cls) {
        String outer = cls.contains("$") ? cls.substring(0, cls.indexOf('$')) : cls;
        return outer.substring(0, outer.lastIndexOf('.'));
    }

    /**
     * Parses the justification file's lines ({@code name} for messages). Blank lines and lines
     * starting with # are skipped; a key given twice is refused.
     */
    static Map<Key, Justified> parse(List<String> lines, String name) throws BadLine {
        Map<Key, Justified> out = new LinkedHashMap<>();
        int n = 0;
        for (String line : lines) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 7 || f[6].isBlank()) {
                throw new BadLine(name + ":" + n + ": expected 7 tab-separated columns (class, method, mutator, "
                        + "description, occurrence, line, reason), got " + f.length + ": '" + line + "'");
            }
            int occurrence = positive(f[4], name, n, "occurrence");
            int hint = positive(f[5], name, n, "line");
            Key key = new Key(f[0], f[1], f[2], f[3], occurrence);
            if (out.put(key, new Justified(key, hint, f[6])) != null) {
                throw new BadLine(name + ":" + n + ": the same mutant is justified twice: " + key);
            }
        }
        return out;
    }

    private static int positive(String s, String name, int n, String what) throws BadLine {
        try {
            int v = Integer.parseInt(s);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadLine(name + ":" + n + ": " + what + " '" + s + "' is not a whole number >= 1");
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent();
    }
}
