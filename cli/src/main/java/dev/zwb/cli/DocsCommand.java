package dev.zwb.cli;

import dev.zwb.check.Verdict;
import dev.zwb.docs.DocsGenerator;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * zwb docs: regenerate the sections of README.md and docs/ that come from
 * the models (verdict table, counterexample tables and diagrams, reach
 * matrices); --check only says which files are stale (exit 1).
 */
@Command(name = "docs", mixinStandardHelpOptions = true,
        description = "Regenerate the generated sections of README.md and docs/ (--check: only compare).")
final class DocsCommand implements Callable<Integer> {

    @CommandLine.ParentCommand
    Zwb zwb;
    @Option(names = "--check", description = "compare only; exit 1 naming the stale files")
    boolean check;
    @CommandLine.Mixin
    Zwb.RunOptions run;

    @Override
    public Integer call() throws Exception {
        run.validate();
        Manifest m = zwb.manifest();
        Path root = zwb.root();
        Set<String> needed = DocsGenerator.modelsNeeded(DocsGenerator.files(root));
        List<ModelEntry> models = m.models().stream()
                .filter(e -> e.profile().equals("ci") || needed.contains(e.model())).toList();
        for (String n : needed) {
            if (!m.modelIds().contains(n)) {
                throw new UserError("a generated section names model '" + n + "', which the manifest does not list");
            }
        }
        List<Verdict> verdicts = zwb.verdictsReusing(m, models, run);
        DocsGenerator docs = new DocsGenerator(verdicts, zwb.cmap(), name -> {
            try {
                dev.zwb.check.Mutation mu = dev.zwb.check.Mutation.named(dev.zwb.check.Mutation.load(m.specDir()), name);
                Verdict v = mu.check(m, zwb.runner(run.timeout), zwb.mutantDir(name), System.err);
                if (v.problem() != null) {
                    throw new Zwb.TlcFailed(v.problem());
                }
                return v;
            } catch (IllegalArgumentException | ManifestException e) {
                throw new UserError(e.getMessage());
            } catch (IOException e) {
                throw new UserError("mutation " + name + ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Zwb.TlcFailed("interrupted while checking mutation " + name);
            }
        });
        try {
            if (check) {
                List<String> stale = docs.stale(root);
                stale.forEach(f -> System.out.println("stale: " + f));
                System.err.println(stale.isEmpty() ? "zwb docs: every generated section is current"
                        : "zwb docs: " + stale.size() + " file(s) stale; run ./zwb docs");
                return stale.isEmpty() ? Zwb.OK : Zwb.MISMATCH;
            }
            List<String> written = docs.write(root);
            written.forEach(f -> System.out.println("wrote " + f));
            System.err.println("zwb docs: " + written.size() + " file(s) rewritten");
            return Zwb.OK;
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
    }
}
