package dev.zwb.check;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcRunner;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * One entry of spec/mutations.json: a guard of a spec deleted or weakened by replacing one piece
 * of text ({@code find}, which must occur exactly once) with another, and the model that must
 * then reach another verdict ({@code expected}) — or, for an entry that carries
 * {@code harmless}, the argument why the model keeps its verdict at the CI bounds. The suite
 * applies every entry (GuardMutationTest); {@code zwb check --mutation} and
 * {@code zwb trace --mutation} apply one, the way a reviewer tries a proposed change.
 */
public record Mutation(String name, String file, String find, String replace, String model,
                       String expectedResult, String expectedName, String harmless) {

    /** Every entry of {@code specDir}/mutations.json, in file order. */
    public static List<Mutation> load(Path specDir) throws IOException {
        Path json = specDir.resolve("mutations.json");
        List<Mutation> out = new ArrayList<>();
        try {
            for (JsonElement el : JsonParser.parseString(Files.readString(json)).getAsJsonObject()
                    .getAsJsonArray("mutations")) {
                JsonObject o = el.getAsJsonObject();
                JsonObject x = o.has("expected") ? o.getAsJsonObject("expected") : null;
                out.add(new Mutation(text(o, "name"), text(o, "file"), text(o, "find"), text(o, "replace"),
                        text(o, "model"), x == null ? null : text(x, "result"), x == null ? null : text(x, "name"),
                        o.has("harmless") ? text(o, "harmless") : null));
            }
        } catch (JsonParseException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException(json + " is malformed: " + e.getMessage());
        }
        return out;
    }

    private static String text(JsonObject o, String field) {
        if (!o.has(field)) {
            throw new IllegalArgumentException("a mutation has no \"" + field + "\": " + o);
        }
        return o.get(field).getAsString();
    }

    /** The entry called {@code name}; an unknown name is an error naming the accepted ones. */
    public static Mutation named(List<Mutation> all, String name) {
        return all.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no mutation '" + name + "' in spec/mutations.json; "
                        + "accepted: " + String.join(", ", all.stream().map(Mutation::name).toList())));
    }

    /** The manifest entry of this mutation's model. */
    public ModelEntry entry(Manifest m) {
        return m.models().stream().filter(x -> x.model().equals(model)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("mutation " + name + " names model '" + model
                        + "', which the manifest does not list"));
    }

    /**
     * The verdict of this mutation's model on a copy of spec/ under {@code copy} with the mutation
     * applied, reusing a kept run of the same mutated spec.
     */
    public Verdict check(Manifest m, TlcRunner runner, Path copy, PrintStream progress)
            throws IOException, InterruptedException, ManifestException {
        ModelEntry e = entry(m);
        return new Checker(applyTo(m.specDir(), copy), runner, 1, progress).checkAll(List.of(e), true).get(0);
    }

    /**
     * Copies {@code specDir} to {@code copy} (replacing what is there) and applies this mutation to
     * the copy; returns {@code copy}. The text must occur exactly once in the file.
     */
    public Path applyTo(Path specDir, Path copy) throws IOException {
        try (Stream<Path> walk = Files.walk(specDir)) {
            for (Path p : walk.toList()) {
                Path target = copy.resolve(specDir.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Path f = copy.resolve(file);
        if (!Files.isRegularFile(f)) {
            throw new IllegalArgumentException(name + ": no file " + file + " in spec/");
        }
        String text = Files.readString(f);
        int first = text.indexOf(find);
        if (first < 0) {
            throw new IllegalArgumentException(name + ": the guard text is no longer in " + file + ": " + find);
        }
        if (text.indexOf(find, first + 1) >= 0) {
            throw new IllegalArgumentException(name + ": the guard text occurs more than once in " + file + ": " + find);
        }
        Files.writeString(f, text.substring(0, first) + replace + text.substring(first + find.length()));
        return copy;
    }
}
