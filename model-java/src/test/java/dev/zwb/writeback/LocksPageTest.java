package dev.zwb.writeback;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/locks.md, the lock audit, stays true to the models: in every table with a {@code zwb}
 * and an {@code argument} column, each model the zwb column names is in spec/manifest.json, each
 * spec label beside it is in the StepLabels of that model's spec and is reached by that model (the
 * generated reach tables of docs/single.md, multipage.md, batched.md), a path that no model runs
 * has an argument, and every environment step of the specs has a row. A renamed model or label, a
 * model that stops reaching a label, or a new environment process without a row fails here.
 */
class LocksPageTest {

    private static final Path ROOT = Repo.root();
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    /** Shorter than this is a word, not an argument. */
    private static final int MIN_ARGUMENT = 40;

    /** A table row: its path cell, its zwb cell, its argument cell. */
    record Row(String path, String zwb, String argument) {
    }

    /** What the rows are checked against. */
    record Models(Map<String, String> specOf, Map<String, Set<String>> labelsOf,
                  Map<String, Set<String>> reachedBy) {
    }

    /** The rows of every table whose header has a "zwb" and an "argument" column. */
    static List<Row> rows(String page) {
        List<Row> out = new ArrayList<>();
        List<String> lines = page.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            List<String> header = cells(lines.get(i));
            int zwb = header.indexOf("zwb");
            int arg = header.indexOf("argument");
            if (zwb < 0 || arg < 0) {
                continue;
            }
            for (i += 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
                List<String> c = cells(lines.get(i));
                assertEquals(header.size(), c.size(), "cells in: " + lines.get(i));
                out.add(new Row(c.get(0), c.get(zwb), c.get(arg)));
            }
        }
        return out;
    }

    private static List<String> cells(String line) {
        if (!line.startsWith("|") || !line.endsWith("|")) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (String c : line.substring(1, line.length() - 1).split("\\|", -1)) {
            out.add(c.strip());
        }
        return out;
    }

    /** Every way a row can be wrong, one line each; none for a true page. */
    static List<String> problems(List<Row> rows, Models models) {
        List<String> out = new ArrayList<>();
        for (Row row : rows) {
            String where = row.path() + ": ";
            if (!TICKED.matcher(row.path()).find()) {
                out.add(where + "the path names no C function");
            }
            boolean modelled = false;
            for (String group : row.zwb().split(";")) {
                List<String> named = new ArrayList<>();
                List<String> labels = new ArrayList<>();
                Matcher m = TICKED.matcher(group);
                while (m.find()) {
                    (m.group(1).contains("/") ? named : labels).add(m.group(1));
                }
                if (!labels.isEmpty() && named.isEmpty()) {
                    out.add(where + "labels " + labels + " without a model");
                }
                for (String model : named) {
                    modelled = true;
                    out.addAll(modelProblems(where, model, labels, models));
                }
            }
            if (!modelled && row.argument().replaceAll("[^A-Za-z]", "").length() < MIN_ARGUMENT) {
                out.add(where + "no model runs it and the argument is missing or too short");
            }
        }
        return out;
    }

    private static List<String> modelProblems(String where, String model, List<String> labels, Models models) {
        List<String> out = new ArrayList<>();
        String spec = models.specOf().get(model);
        if (spec == null) {
            out.add(where + model + " is not a model of spec/manifest.json");
            return out;
        }
        Set<String> reached = models.reachedBy().get(model);
        if (reached == null) {
            out.add(where + model + " has no reach table (name a CI model)");
        }
        for (String label : labels) {
            if (!models.labelsOf().get(spec).contains(label)) {
                out.add(where + label + " is not a step label of " + spec + " (" + model + ")");
            } else if (reached != null && !reached.contains(label)) {
                out.add(where + model + " does not reach " + label);
            }
        }
        return out;
    }

    /** model -> labels it reaches, from a "zwb reach" block: label rows of x and ., then the legend. */
    static Map<String, Set<String>> reach(String block) {
        Map<Integer, String> legend = new HashMap<>();
        Map<String, String> marks = new TreeMap<>();
        for (String line : block.lines().toList()) {
            Matcher l = Pattern.compile("^\\s*(\\d+)\\s+(\\S+/\\S+)\\s*$").matcher(line);
            Matcher r = Pattern.compile("^(\\w+)\\s+([x.](?:\\s+[x.])*)\\s*$").matcher(line);
            if (l.matches()) {
                legend.put(Integer.parseInt(l.group(1)), l.group(2));
            } else if (r.matches()) {
                marks.put(r.group(1), r.group(2).replaceAll("\\s", ""));
            }
        }
        Map<String, Set<String>> out = new TreeMap<>();
        legend.forEach((column, model) -> {
            Set<String> labels = new TreeSet<>();
            marks.forEach((label, xs) -> {
                if (column <= xs.length() && xs.charAt(column - 1) == 'x') {
                    labels.add(label);
                }
            });
            out.put(model, labels);
        });
        return out;
    }

    private static Models repositoryModels() throws IOException {
        Map<String, String> specOf = new TreeMap<>();
        JsonObject manifest = JsonParser.parseString(Files.readString(ROOT.resolve("spec/manifest.json")))
                .getAsJsonObject();
        for (JsonElement e : manifest.getAsJsonArray("models")) {
            JsonObject o = e.getAsJsonObject();
            specOf.put(o.get("model").getAsString(), o.get("spec").getAsString());
        }
        String common = Files.readString(ROOT.resolve("spec/ZramCommon.tla"));
        Map<String, Set<String>> labelsOf = new TreeMap<>();
        for (String spec : new TreeSet<>(specOf.values())) {
            String text = Files.readString(ROOT.resolve("spec").resolve(spec + ".tla"));
            labelsOf.put(spec, new SpecStepLabels(List.of(text, common)).stepLabels());
        }
        Map<String, Set<String>> reachedBy = new TreeMap<>();
        for (Design d : Design.values()) {
            String doc = Files.readString(ROOT.resolve("docs").resolve(d.id() + ".md"));
            String begin = "<!-- zwb:begin reach " + d.id() + " -->";
            int from = doc.indexOf(begin);
            assertTrue(from >= 0, "docs/" + d.id() + ".md has its reach table");
            reachedBy.putAll(reach(doc.substring(from, doc.indexOf("<!-- zwb:end -->", from))));
        }
        return new Models(specOf, labelsOf, reachedBy);
    }

    @Test
    void thePageNamesOnlyModelsAndLabelsThatExistAndArguesEveryExclusion() throws IOException {
        List<Row> rows = rows(Files.readString(ROOT.resolve("docs/locks.md")));
        assertTrue(rows.size() >= 40, "rows read from docs/locks.md: " + rows.size());
        long excluded = rows.stream().filter(r -> !TICKED.matcher(r.zwb()).find()).count();
        assertTrue(excluded > 0 && excluded < rows.size(), "both modelled and excluded rows: " + excluded);
        assertEquals(List.of(), problems(rows, repositoryModels()));
    }

    /**
     * Every environment step of the specs (ZramCommon's EnvStepLabels: the actors beside the
     * writeback) is named on the page, so an environment process added to the specs needs its row.
     */
    @Test
    void everyEnvironmentStepHasARow() throws IOException {
        Set<String> named = new TreeSet<>();
        for (Row row : rows(Files.readString(ROOT.resolve("docs/locks.md")))) {
            Matcher m = TICKED.matcher(row.zwb());
            while (m.find()) {
                named.add(m.group(1));
            }
        }
        Set<String> env = new SpecStepLabels(List.of(Files.readString(ROOT.resolve("spec/ZramCommon.tla"))))
                .value("EnvStepLabels");
        assertTrue(env.size() >= 10, "EnvStepLabels: " + env);
        env.removeAll(named);
        assertEquals(Set.of(), env, "environment steps docs/locks.md does not name");
    }

    @Test
    void theCheckerSeesEachKindOfMistake() {
        Models models = new Models(Map.of("d/m", "Spec"), Map.of("Spec", Set.of("a", "b")),
                Map.of("d/m", Set.of("a")));
        String page = String.join("\n",
                "| path | locks | zwb | argument |",
                "|---|---|---|---|",
                "| `f()` | R | `d/m`: `a` | |",
                "| `g()` | R | `d/x`: `a` | |",
                "| `h()` | R | `d/m`: `c` | |",
                "| `i()` | R | `d/m`: `b` | |",
                "| `j()` | R | — | short |",
                "| `k()` | R | `a` | |",
                "| none | R | — | It waits for the writeback to return: the lock is taken for write. |");
        List<String> found = problems(rows(page), models);
        assertEquals(List.of(
                "`g()`: d/x is not a model of spec/manifest.json",
                "`h()`: c is not a step label of Spec (d/m)",
                "`i()`: d/m does not reach b",
                "`j()`: no model runs it and the argument is missing or too short",
                "`k()`: labels [a] without a model",
                "`k()`: no model runs it and the argument is missing or too short",
                "none: the path names no C function"), found);
    }

    @Test
    void stepLabelsAreReadAsTheSpecsDefineThem() throws IOException {
        String common = Files.readString(ROOT.resolve("spec/ZramCommon.tla"));
        Set<String> batched = new SpecStepLabels(
                List.of(Files.readString(ROOT.resolve("spec/ZramBatched.tla")), common)).stepLabels();
        Set<String> multipage = new SpecStepLabels(
                List.of(Files.readString(ROOT.resolve("spec/ZramMultipage.tla")), common)).stepLabels();
        assertTrue(batched.containsAll(Set.of("completeDoneReqs", "endioLock", "readDecompress", "freeNotify")));
        assertTrue(!batched.contains("limitStore") && !batched.contains("done") && !batched.contains("envDone"),
                "batched excludes limitStore, done, envDone: " + batched);
        assertTrue(multipage.contains("limitStore") && !multipage.contains("idle"), "multipage: " + multipage);
    }

    @Test
    void theReachBlockIsReadColumnByColumn() {
        String block = String.join("\n", "single", "          1  2", "scan      x  .", "next      .  x",
                "  1  d/one", "  2  d/two", "every label of single is reached");
        assertEquals(Map.of("d/one", Set.of("scan"), "d/two", Set.of("next")), reach(block));
    }

    @Test
    void theDocsLinkThePage() throws IOException {
        assertTrue(Files.readString(ROOT.resolve("README.md")).contains("docs/locks.md"), "README.md links docs/locks.md");
        assertTrue(Files.readString(ROOT.resolve("docs/README.md")).contains("(locks.md)"),
                "docs/README.md links locks.md");
    }
}
