package dev.zwb.check;

import dev.zwb.manifest.ModelEntry;

import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/** Label reach: which declared step labels a set of runs of one design took (zwb reach, docs). */
public final class Reach {

    private Reach() {
    }

    public static SortedSet<String> unreached(List<Verdict> runs) {
        SortedSet<String> declared = new TreeSet<>();
        SortedSet<String> reached = new TreeSet<>();
        for (Verdict v : runs) {
            declared.addAll(v.result().declaredLabels());
            reached.addAll(v.result().reached());
        }
        declared.removeAll(reached);
        return declared;
    }

    /** One design: a row per declared label, a column per model (numbered, named below). */
    public static String matrix(String design, List<Verdict> runs) {
        SortedSet<String> labels = new TreeSet<>();
        runs.forEach(v -> labels.addAll(v.result().declaredLabels()));
        int width = labels.stream().mapToInt(String::length).max().orElse(5);
        StringBuilder sb = new StringBuilder(design).append(System.lineSeparator());
        StringBuilder head = new StringBuilder(" ".repeat(width + 2));
        for (int i = 0; i < runs.size(); i++) {
            head.append(String.format("%3d", i + 1));
        }
        sb.append(head.toString().stripTrailing()).append(System.lineSeparator());
        for (String label : labels) {
            StringBuilder row = new StringBuilder(String.format("%-" + width + "s  ", label));
            for (Verdict v : runs) {
                row.append(v.result().reached().contains(label) ? "  x" : "  .");
            }
            boolean none = runs.stream().noneMatch(v -> v.result().reached().contains(label));
            sb.append(row).append(none ? "   <- no model reaches it" : "").append(System.lineSeparator());
        }
        for (int i = 0; i < runs.size(); i++) {
            ModelEntry e = runs.get(i).entry();
            sb.append(String.format("%3d  %s%s%n", i + 1, e.model(),
                    e.isSimulation() ? " (simulation: the labels its behaviours took)" : ""));
        }
        SortedSet<String> missing = unreached(runs);
        sb.append(missing.isEmpty() ? "every label of " + design + " is reached by a selected model"
                : wrap("no selected model of " + design + " reaches: ", missing))
                .append(System.lineSeparator()).append(System.lineSeparator());
        return sb.toString();
    }

    /** {@code lead} and the labels, comma-separated, wrapped at 100 columns with an indent of 2. */
    private static String wrap(String lead, SortedSet<String> labels) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(lead);
        int left = labels.size();
        for (String l : labels) {
            String item = l + (--left > 0 ? "," : "");
            if (line.length() + item.length() + 1 > 100 && line.length() > 2) {
                out.append(line.toString().stripTrailing()).append(System.lineSeparator());
                line = new StringBuilder("  ");
            }
            line.append(item).append(' ');
        }
        return out.append(line.toString().stripTrailing()).toString();
    }
}
