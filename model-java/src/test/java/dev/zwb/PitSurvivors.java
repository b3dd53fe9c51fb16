package dev.zwb;

import dev.zwb.PitKeys.Justified;
import dev.zwb.PitKeys.Key;
import dev.zwb.PitKeys.Mutation;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The last step of the {@code pit} profile: reads PIT's {@code mutations.xml} and the list of
 * justified survivors ({@code pit-equivalent.tsv}, keyed as {@link PitKeys} says) and prints,
 * per package, the mutants, how many PIT detected, how many survived or had no coverage, how
 * many of those the list justifies, and the share killed or justified. Names every survivor the
 * list does not justify, every line of the list that justifies no survivor (stale), and every
 * line whose line hint is out of date. Exits 1 if the share is under {@link #TARGET} % in a
 * package of {@link #HELD}.
 */
public final class PitSurvivors {

    /** The packages held to the target. */
    static final Set<String> HELD = Set.of("dev.zwb.writeback", "dev.zwb.zram");
    /** Killed or justified, percent. */
    static final double TARGET = 90.0;

    private PitSurvivors() {
    }

    /** One package's counts. */
    static final class Counts {
        int mutants;
        int detected;
        int survived;
        int justified;

        double detectedShare() {
            return 100.0 * detected / mutants;
        }

        double killedOrJustified() {
            return 100.0 * (detected + justified) / mutants;
        }
    }

    /**
     * What a report and a justification list give: counts per package, survivors the list does
     * not justify, lines of the list that justify no survivor, and lines whose hint moved.
     */
    record Tally(Map<String, Counts> byPackage, List<Mutation> unjustified, List<Justified> stale,
                 List<String> movedHints) {

        /** The held packages under the target. */
        List<String> underTarget() {
            return byPackage.entrySet().stream()
                    .filter(e -> HELD.contains(e.getKey()) && e.getValue().killedOrJustified() < TARGET)
                    .map(Map.Entry::getKey).toList();
        }
    }

    static Tally tally(List<Mutation> all, Map<Key, Justified> justified) {
        Map<String, Counts> byPkg = new TreeMap<>();
        List<Mutation> unjustified = new ArrayList<>();
        List<String> moved = new ArrayList<>();
        Map<Key, Justified> unused = new LinkedHashMap<>(justified);
        for (Mutation m : all) {
            Counts c = byPkg.computeIfAbsent(m.pkg(), p -> new Counts());
            c.mutants++;
            if (m.detected()) {
                c.detected++;
                continue;
            }
            c.survived++;
            Justified j = unused.remove(m.key());
            if (j == null) {
                unjustified.add(m);
                continue;
            }
            c.justified++;
            if (j.lineHint() != m.line()) {
                moved.add(m.key() + "\tline " + j.lineHint() + " is now " + m.line());
            }
        }
        return new Tally(byPkg, unjustified, List.copyOf(unused.values()), moved);
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
        Map<Key, Justified> justified;
        try {
            justified = Files.isRegularFile(tsv) ? PitKeys.parse(Files.readAllLines(tsv), tsv.toString()) : Map.of();
        } catch (PitKeys.BadLine e) {
            System.err.println("pit: " + e.getMessage());
            System.exit(2);
            return;
        }
        List<Mutation> all;
        try (InputStream in = Files.newInputStream(xml)) {
            all = PitKeys.read(in);
        }
        Tally t = tally(all, justified);
        System.out.println("pit: package\tmutants\tdetected\tsurvived\tjustified\tdetected%\tkilled-or-justified%");
        t.byPackage().forEach((pkg, c) -> System.out.printf("pit: %s\t%d\t%d\t%d\t%d\t%.1f\t%.1f%n",
                pkg, c.mutants, c.detected, c.survived, c.justified, c.detectedShare(), c.killedOrJustified()));
        t.unjustified().forEach(m -> System.out.println("pit: unjustified survivor\t" + m.status() + "\t" + m.key()
                + "\tline " + m.line()));
        t.stale().forEach(j -> System.out.println("pit: pit-equivalent.tsv justifies a mutant that no longer survives\t"
                + j.key()));
        t.movedHints().forEach(h -> System.out.println("pit: pit-equivalent.tsv line hint out of date\t" + h));
        t.underTarget().forEach(p -> System.out.printf("pit: %s is under the target of %.0f %% killed or justified%n",
                p, TARGET));
        if (!t.underTarget().isEmpty()) {
            System.exit(1);
        }
    }
}
