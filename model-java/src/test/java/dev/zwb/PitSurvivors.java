package dev.zwb;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The last step of the {@code pit} profile: reads PIT's {@code mutations.xml} and the list of
 * justified survivors ({@code pit-equivalent.tsv}: class, method, line, mutator, one-line
 * reason, tab-separated) and prints, per package, the mutants, how many PIT detected, how many
 * survived or had no coverage, how many of those the list justifies, and the share killed or
 * justified. Exits 1 if that share is under {@link #TARGET} % in a package of {@link #HELD}, and
 * names every survivor the list does not justify.
 */
public final class PitSurvivors {

    /** The packages held to the target. */
    static final Set<String> HELD = Set.of("dev.zwb.writeback", "dev.zwb.zram");
    /** Killed or justified, percent. */
    static final double TARGET = 90.0;

    private PitSurvivors() {
    }

    /** One mutant as PIT reports it. */
    record Mutation(String pkg, String key, String status, String description) {
        boolean detected() {
            return !status.equals("SURVIVED") && !status.equals("NO_COVERAGE");
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: PitSurvivors MUTATIONS.xml EQUIVALENT.tsv");
            System.exit(2);
        }
        Path xml = Path.of(args[0]);
        Path tsv = Path.of(args[1]);
        if (!Files.isRegularFile(xml)) {
            System.err.println("pit: no report at " + xml + " (run PIT first: mvn -P pit -pl model-java verify)");
            System.exit(2);
        }
        Set<String> justified = justified(tsv);
        List<Mutation> all = read(xml);
        Map<String, int[]> byPkg = new TreeMap<>(); // total, detected, survived, justified
        List<String> unjustified = new ArrayList<>();
        Set<String> used = new TreeSet<>();
        for (Mutation m : all) {
            int[] c = byPkg.computeIfAbsent(m.pkg(), p -> new int[4]);
            c[0]++;
            if (m.detected()) {
                c[1]++;
                continue;
            }
            c[2]++;
            if (justified.contains(m.key())) {
                c[3]++;
                used.add(m.key());
            } else {
                unjustified.add(m.status() + "\t" + m.key() + "\t" + m.description());
            }
        }
        boolean ok = true;
        System.out.println("pit: package\tmutants\tdetected\tsurvived\tjustified\tdetected%\tkilled-or-justified%");
        for (Map.Entry<String, int[]> e : byPkg.entrySet()) {
            int[] c = e.getValue();
            double raw = 100.0 * c[1] / c[0];
            double kj = 100.0 * (c[1] + c[3]) / c[0];
            System.out.printf("pit: %s\t%d\t%d\t%d\t%d\t%.1f\t%.1f%n", e.getKey(), c[0], c[1], c[2], c[3], raw, kj);
            if (HELD.contains(e.getKey()) && kj < TARGET) {
                System.out.printf("pit: %s is under the target of %.0f %% killed or justified%n", e.getKey(), TARGET);
                ok = false;
            }
        }
        unjustified.forEach(u -> System.out.println("pit: unjustified survivor\t" + u));
        Set<String> stale = new TreeSet<>(justified);
        stale.removeAll(used);
        stale.forEach(s -> System.out.println("pit: pit-equivalent.tsv justifies a mutant that no longer survives\t" + s));
        if (!ok) {
            System.exit(1);
        }
    }

    /** The keys (class, method, line, mutator) the file justifies; each line needs a reason. */
    static Set<String> justified(Path tsv) throws Exception {
        Set<String> keys = new TreeSet<>();
        if (!Files.isRegularFile(tsv)) {
            return keys;
        }
        int n = 0;
        for (String line : Files.readAllLines(tsv)) {
            n++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            if (f.length != 5 || f[4].isBlank()) {
                System.err.println("pit: " + tsv + ":" + n + ": expected class, method, line, mutator and a "
                        + "reason, tab-separated; got '" + line + "'");
                System.exit(2);
            }
            keys.add(String.join("\t", f[0], f[1], f[2], f[3]));
        }
        return keys;
    }

    static List<Mutation> read(Path xml) throws Exception {
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml.toFile());
        NodeList nodes = doc.getElementsByTagName("mutation");
        List<Mutation> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element e = (Element) nodes.item(i);
            String cls = text(e, "mutatedClass");
            String outer = cls.contains("$") ? cls.substring(0, cls.indexOf('$')) : cls;
            String pkg = outer.substring(0, outer.lastIndexOf('.'));
            String mutator = text(e, "mutator");
            mutator = mutator.substring(mutator.lastIndexOf('.') + 1);
            String key = String.join("\t", cls, text(e, "mutatedMethod"), text(e, "lineNumber"), mutator);
            out.add(new Mutation(pkg, key, e.getAttribute("status"), text(e, "description")));
        }
        return out;
    }

    private static String text(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? "" : l.item(0).getTextContent();
    }
}
