package dev.zwb.cli;

import dev.zwb.check.Checker;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;

/**
 * zwb reach: which labels each model's run took (the specs' Reach action
 * constraint prints every label the first time a step takes it), as a
 * label × model matrix per design, and the labels no model of the selection
 * reaches. Runs are reused when spec and config are unchanged.
 */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = "Print the label x model matrix and the labels no selected model reaches.")
final class ReachCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Zwb zwb;
    @CommandLine.Mixin
    Zwb.Filters filters;
    @CommandLine.Mixin
    Zwb.RunOptions run;

    @Override
    public Integer call() throws Exception {
        run.validate();
        Manifest m = zwb.manifest();
        List<ModelEntry> selected = filters.select(m);
        Checker checker = new Checker(m.specDir(), zwb.runner(run.timeout), run.jobs, System.err);
        List<Verdict> verdicts;
        try {
            verdicts = checker.checkAll(selected, true);
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        Map<String, List<Verdict>> byDesign = new LinkedHashMap<>();
        for (Verdict v : verdicts) {
            if (v.problem() != null) {
                System.err.println("zwb: " + v.problem());
                return Zwb.TLC_FAILED;
            }
            byDesign.computeIfAbsent(v.entry().design(), d -> new ArrayList<>()).add(v);
        }
        int unreachedTotal = 0;
        for (Map.Entry<String, List<Verdict>> d : byDesign.entrySet()) {
            System.out.print(matrix(d.getKey(), d.getValue()));
            unreachedTotal += unreached(d.getValue()).size();
        }
        return unreachedTotal == 0 ? Zwb.OK : Zwb.MISMATCH;
    }

    static SortedSet<String> unreached(List<Verdict> runs) {
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
    static String matrix(String design, List<Verdict> runs) {
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
                : "no selected model of " + design + " reaches: " + String.join(", ", missing))
                .append(System.lineSeparator()).append(System.lineSeparator());
        return sb.toString();
    }
}
