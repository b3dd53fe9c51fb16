package dev.zwb.check;

import dev.zwb.tlc.TlcOutcome;
import dev.zwb.tlc.TlcResult;
import dev.zwb.tlc.TlcRunner;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which named part of an invariant a counterexample breaks. An invariant has
 * named parts when the spec defines it as a conjunction list of operator
 * names only ({@code Inv ==} then lines {@code /\ PartA}, {@code /\ PartB}).
 * TLC names only the invariant, so the part is found by checking the same
 * model once more with the invariant replaced, in the config, by its parts:
 * breadth-first search with one worker stops at the same first bad state, and
 * TLC names the first part it breaks there.
 */
public final class InvariantParts {

    private static final Pattern PART = Pattern.compile("^\\s+/\\\\ (\\w+)\\s*$");

    private InvariantParts() {
    }

    /** The module and the modules of the spec directory it EXTENDS, itself first. */
    static List<Path> modules(Path specDir, String module) throws IOException {
        List<Path> out = new ArrayList<>();
        Path main = specDir.resolve(module + ".tla");
        if (!Files.isRegularFile(main)) {
            return out;
        }
        out.add(main);
        Matcher ext = Pattern.compile("(?m)^EXTENDS\\s+(.*)$").matcher(Files.readString(main, StandardCharsets.UTF_8));
        if (ext.find()) {
            for (String name : ext.group(1).split("\\s*,\\s*")) {
                Path m = specDir.resolve(name.trim() + ".tla");
                if (Files.isRegularFile(m)) {
                    out.add(m);
                }
            }
        }
        return out;
    }

    /** The named parts of an invariant as the spec module (or a module it extends) defines it, or none. */
    public static List<String> of(Path specDir, String module, String invariant) throws IOException {
        for (Path m : modules(specDir, module)) {
            List<String> lines = Files.readAllLines(m, StandardCharsets.UTF_8);
            for (int i = 0; i < lines.size(); i++) {
                if (!lines.get(i).trim().equals(invariant + " ==")) {
                    continue;
                }
                List<String> parts = new ArrayList<>();
                int j = i + 1;
                for (; j < lines.size(); j++) {
                    Matcher p = PART.matcher(lines.get(j));
                    if (!p.matches()) {
                        break;
                    }
                    parts.add(p.group(1));
                }
                boolean whole = j >= lines.size() || !lines.get(j).startsWith(" ");
                return parts.size() >= 2 && whole ? parts : List.of();
            }
        }
        return List.of();
    }

    /**
     * The part of the violated invariant that the run's last state breaks, or null when the
     * invariant has no named parts (or the run found no invariant violation).
     */
    public static String broken(TlcRunner runner, TlcRunner.Job job, TlcResult r, Path scratch)
            throws IOException, InterruptedException {
        if (r.outcome() != TlcOutcome.INVARIANT || r.violated() == null) {
            return null;
        }
        List<String> parts = of(job.specDir(), job.spec(), r.violated());
        if (parts.isEmpty()) {
            return null;
        }
        String split = job.configText().replaceAll("(?m)^(\\s+)" + Pattern.quote(r.violated()) + "\\s*$",
                Matcher.quoteReplacement("    " + String.join("\n    ", parts)));
        Files.createDirectories(scratch);
        Path cfg = scratch.resolve(job.config().getFileName().toString().replace(".cfg", "")
                + "-" + Integer.toHexString(split.hashCode()) + ".cfg");
        Files.writeString(cfg, split, StandardCharsets.UTF_8);
        TlcRunner.Job partsJob = new TlcRunner.Job(job.id() + "-parts", job.specDir(), job.spec(), cfg,
                java.util.Map.of(), job.simulate(), job.simDepth(), job.simTraces(), job.simSeed());
        TlcResult kept = runner.cached(partsJob);
        TlcResult p = kept != null ? kept : runner.run(partsJob);
        return p.outcome() == TlcOutcome.INVARIANT && parts.contains(p.violated()) ? p.violated() : null;
    }
}
