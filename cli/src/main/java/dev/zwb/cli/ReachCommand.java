package dev.zwb.cli;

import dev.zwb.check.Reach;
import dev.zwb.check.Verdict;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        Map<String, List<Verdict>> byDesign = new LinkedHashMap<>();
        for (Verdict v : zwb.verdictsReusing(m, selected, run)) {
            byDesign.computeIfAbsent(v.entry().design(), d -> new ArrayList<>()).add(v);
        }
        int unreachedTotal = 0;
        for (Map.Entry<String, List<Verdict>> d : byDesign.entrySet()) {
            System.out.print(Reach.matrix(d.getKey(), d.getValue()));
            unreachedTotal += Reach.unreached(d.getValue()).size();
        }
        return unreachedTotal == 0 ? Zwb.OK : Zwb.MISMATCH;
    }
}
