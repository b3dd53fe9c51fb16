package dev.zwb.docs;

import dev.zwb.check.Verdict;
import dev.zwb.trace.CMap;
import dev.zwb.trace.Trace;
import dev.zwb.trace.TraceFormat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The generated parts of README.md and docs/: every section between
 * {@code <!-- zwb:begin KIND [MODEL] -->} and {@code <!-- zwb:end -->} is
 * produced from TLC's runs. Kinds: {@code verdicts} (the CI verdict table),
 * {@code trace-markdown MODEL}, {@code trace-mermaid MODEL}, {@code reach DESIGN},
 * {@code mutation NAME} (what {@code zwb check --mutation NAME} and the last steps of
 * {@code zwb trace --mutation NAME} print: a reviewer's proposed change, run for real).
 * zwb docs rewrites them; the test suite regenerates them and fails on any
 * difference, so the docs cannot drift from the models.
 */
public final class DocsGenerator {

    private static final Pattern SECTION =
            Pattern.compile("(<!-- zwb:begin (\\S+)(?: (\\S+))? -->\\n)(.*?)(<!-- zwb:end -->)", Pattern.DOTALL);

    /** How many steps a {@code mutation} section shows: the end of the trace, where it breaks. */
    static final int MUTATION_STEPS = 4;

    private final Map<String, Verdict> byModel = new LinkedHashMap<>();
    private final CMap map;
    private final Function<String, Verdict> mutated;

    /**
     * @param verdicts the runs the sections come from: every CI model, at least
     * @param mutated the verdict of the manifest model of a mutation of spec/mutations.json,
     *                checked on a mutated copy of spec/, by the mutation's name
     */
    public DocsGenerator(List<Verdict> verdicts, CMap map, Function<String, Verdict> mutated) {
        verdicts.forEach(v -> byModel.put(v.entry().model(), v));
        this.map = map;
        this.mutated = mutated;
    }

    /** The Markdown files that may carry sections: README.md and everything under docs/. */
    public static List<Path> files(Path root) throws IOException {
        List<Path> out = new ArrayList<>();
        if (Files.isRegularFile(root.resolve("README.md"))) {
            out.add(root.resolve("README.md"));
        }
        try (Stream<Path> walk = Files.walk(root.resolve("docs"))) {
            walk.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** The models the sections of these files need. */
    public static SortedSet<String> modelsNeeded(List<Path> files) throws IOException {
        SortedSet<String> out = new TreeSet<>();
        for (Path f : files) {
            Matcher m = SECTION.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                if (m.group(2).startsWith("trace-")) {
                    out.add(m.group(3));
                }
            }
        }
        return out;
    }

    /** The file's text with every section regenerated. */
    public String regenerate(String text, String where) {
        Matcher m = SECTION.matcher(text);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String body = section(m.group(2), m.group(3), where);
            m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + body + m.group(5)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    /** The files whose sections differ from what the runs give (relative names), empty when current. */
    public List<String> stale(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(root)) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (!regenerate(text, root.relativize(f).toString()).equals(text)) {
                out.add(root.relativize(f).toString());
            }
        }
        return out;
    }

    /** Rewrites every file whose sections changed; returns their names. */
    public List<String> write(Path root) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path f : files(root)) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            String now = regenerate(text, root.relativize(f).toString());
            if (!now.equals(text)) {
                Files.writeString(f, now, StandardCharsets.UTF_8);
                out.add(root.relativize(f).toString());
            }
        }
        return out;
    }

    private String section(String kind, String arg, String where) {
        switch (kind) {
            case "verdicts":
                return verdicts();
            case "trace-markdown":
                return TraceFormat.markdown(trace(arg, where));
            case "trace-mermaid":
                return "```mermaid\n" + TraceFormat.mermaid(trace(arg, where)) + "```\n";
            case "mutation":
                return mutation(arg);
            case "reach":
                return "```\n" + dev.zwb.check.Reach.matrix(arg, byModel.values().stream()
                        .filter(v -> v.entry().design().equals(arg)).toList()) + "```\n";
            default:
                throw new IllegalArgumentException(where + ": unknown generated section 'zwb:begin " + kind
                        + "'; accepted: verdicts, trace-markdown MODEL, trace-mermaid MODEL, reach DESIGN, mutation NAME");
        }
    }

    private Trace trace(String model, String where) {
        Verdict v = byModel.get(model);
        if (v == null) {
            throw new IllegalArgumentException(where + ": section for model '" + model + "', which was not run");
        }
        if (!v.result().outcome().isViolation()) {
            throw new IllegalArgumentException(where + ": section for model '" + model
                    + "', which has no counterexample (" + v.actualText() + ")");
        }
        return Trace.of(v.result(), v.actualText(), v.entry().design(), map);
    }

    /** A proposed change run for real: the verdict it moves and the steps where its trace breaks. */
    private String mutation(String name) {
        Verdict v = mutated.apply(name);
        StringBuilder sb = new StringBuilder("```\n$ ./zwb check --mutation ").append(name).append('\n');
        sb.append(v.entry().model()).append(": the manifest records ").append(v.expectedText())
                .append("; with the mutation TLC finds ").append(v.actualText());
        if (v.traceLength() != null) {
            sb.append(", a trace of ").append(v.traceLength()).append(" states");
        }
        sb.append(String.format(Locale.ROOT, " (%,d distinct states)%n", v.result().distinctStates()));
        if (v.result().outcome().isViolation()) {
            Trace t = Trace.of(v.result(), v.actualText(), v.entry().design(), map);
            int from = t.steps().get(t.steps().size() - 1).number() - MUTATION_STEPS + 1;
            sb.append("\n$ ./zwb trace --mutation ").append(name).append("    (its last ").append(MUTATION_STEPS)
                    .append(" steps)\n");
            boolean on = false;
            for (String line : TraceFormat.text(t, false).split("\\R")) {
                on |= line.startsWith(String.format(Locale.ROOT, "%3d  ", from));
                if (on) {
                    sb.append(line).append('\n');
                }
            }
        }
        return sb.append("```\n").toString();
    }

    /** The CI verdict table as Markdown; no times, so it is the same on every machine. */
    private String verdicts() {
        StringBuilder sb = new StringBuilder();
        sb.append("| model | switches | verdict | trace | distinct states |\n|---|---|---|---:|---:|\n");
        for (Verdict v : byModel.values()) {
            if (!v.entry().profile().equals("ci")) {
                continue;
            }
            String sw = v.entry().switches().isEmpty() ? "–"
                    : "`" + String.join("`, `", v.entry().switches()) + "`";
            sb.append("| ").append(v.entry().model()).append(" | ").append(sw).append(" | ")
                    .append(v.actualText()).append(" | ")
                    .append(v.traceLength() == null ? "" : v.traceLength()).append(" | ")
                    .append(String.format(Locale.ROOT, "%,d", v.result().distinctStates())).append(" |\n");
        }
        return sb.toString();
    }
}
