package dev.zwb.manifest;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * spec/manifest.json: every model with its expected verdict. Loading checks
 * the shape of every entry and says, in one line, which entry and which field
 * is wrong and what is accepted.
 */
public final class Manifest {

    public static final List<String> MODES = List.of("exhaustive", "simulate");
    public static final List<String> PROFILES = List.of("ci", "large");

    private final Path specDir;
    private final List<ModelEntry> models;

    private Manifest(Path specDir, List<ModelEntry> models) {
        this.specDir = specDir;
        this.models = List.copyOf(models);
    }

    public Path specDir() {
        return specDir;
    }

    public List<ModelEntry> models() {
        return models;
    }

    public static Manifest load(Path specDir) throws ManifestException {
        Path file = specDir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new ManifestException("no manifest at " + file + "; run zwb from the repository root or pass --root");
        }
        JsonElement root;
        try {
            root = JsonParser.parseString(Files.readString(file));
        } catch (IOException | JsonParseException e) {
            throw new ManifestException("manifest " + file + " is not valid JSON: " + oneLine(e.getMessage()));
        }
        if (!root.isJsonObject() || !root.getAsJsonObject().has("models")
                || !root.getAsJsonObject().get("models").isJsonArray()) {
            throw new ManifestException("manifest " + file + " must be an object with a \"models\" array");
        }
        JsonArray array = root.getAsJsonObject().getAsJsonArray("models");
        List<ModelEntry> entries = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < array.size(); i++) {
            ModelEntry e = entry(array.get(i), i);
            if (!ids.add(e.model())) {
                throw new ManifestException("manifest lists model '" + e.model() + "' twice");
            }
            entries.add(e);
        }
        return new Manifest(specDir, entries);
    }

    private static ModelEntry entry(JsonElement element, int index) throws ManifestException {
        if (!element.isJsonObject()) {
            throw new ManifestException("manifest entry #" + (index + 1) + " is not an object");
        }
        JsonObject o = element.getAsJsonObject();
        String where = "manifest entry #" + (index + 1);
        String model = string(o, "model", where);
        where = "manifest entry '" + model + "'";
        String design = string(o, "design", where);
        String variant = string(o, "variant", where);
        if (!model.equals(design + "/" + variant)) {
            throw new ManifestException(where + ": model must be \"" + design + "/" + variant + "\" (design/variant)");
        }
        String spec = string(o, "spec", where);
        String config = string(o, "config", where);
        List<String> switches = new ArrayList<>();
        if (!o.has("switches") || !o.get("switches").isJsonArray()) {
            throw new ManifestException(where + ": \"switches\" must be an array of switch names");
        }
        for (JsonElement s : o.getAsJsonArray("switches")) {
            switches.add(s.getAsString());
        }
        String mode = oneOf(o, "mode", MODES, where);
        String profile = oneOf(o, "profile", PROFILES, where);
        Expected expected = expected(o, where, mode);
        String note = o.has("note") ? o.get("note").getAsString() : "";
        int simDepth = -1;
        long simTraces = -1;
        long simSeed = 1;
        if (mode.equals("simulate")) {
            if (!o.has("simulate") || !o.get("simulate").isJsonObject()) {
                throw new ManifestException(where + ": mode \"simulate\" needs \"simulate\": {\"depth\": D, \"traces\": T}");
            }
            JsonObject sim = o.getAsJsonObject("simulate");
            simDepth = (int) number(sim, "depth", where + " simulate");
            simTraces = number(sim, "traces", where + " simulate");
            simSeed = sim.has("seed") ? sim.get("seed").getAsLong() : 1;
        }
        return new ModelEntry(model, design, variant, spec, config, switches, mode, profile, expected,
                note, simDepth, simTraces, simSeed);
    }

    private static Expected expected(JsonObject o, String where, String mode) throws ManifestException {
        if (!o.has("expected") || !o.get("expected").isJsonObject()) {
            throw new ManifestException(where + ": \"expected\" must be an object with a \"result\"");
        }
        JsonObject e = o.getAsJsonObject("expected");
        String result = oneOf(e, "result", Expected.RESULTS, where + " expected");
        switch (result) {
            case "success":
                if (mode.equals("simulate")) {
                    return new Expected(result, null, -1, -1, -1);
                }
                return new Expected(result, null, number(e, "distinctStates", where + " expected"),
                        (int) number(e, "depth", where + " expected"), -1);
            case "invariant":
            case "property":
                return new Expected(result, string(e, "name", where + " expected"), -1, -1,
                        (int) number(e, "traceLength", where + " expected"));
            default:
                return new Expected(result, null, -1, -1, (int) number(e, "traceLength", where + " expected"));
        }
    }

    private static String string(JsonObject o, String field, String where) throws ManifestException {
        if (!o.has(field) || !o.get(field).isJsonPrimitive() || o.get(field).getAsString().isBlank()) {
            throw new ManifestException(where + ": missing or empty \"" + field + "\"");
        }
        return o.get(field).getAsString();
    }

    private static String oneOf(JsonObject o, String field, List<String> accepted, String where)
            throws ManifestException {
        String value = string(o, field, where);
        if (!accepted.contains(value)) {
            throw new ManifestException(where + ": " + field + " '" + value + "' is not one of " + accepted);
        }
        return value;
    }

    private static long number(JsonObject o, String field, String where) throws ManifestException {
        try {
            if (o.has(field)) {
                return o.get(field).getAsLong();
            }
        } catch (NumberFormatException | UnsupportedOperationException | IllegalStateException e) {
            // fall through to the message below
        }
        throw new ManifestException(where + ": \"" + field + "\" must be a whole number");
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s+", " ").trim();
    }

    public Set<String> designs() {
        Set<String> out = new TreeSet<>();
        models.forEach(m -> out.add(m.design()));
        return out;
    }

    public Set<String> variants() {
        Set<String> out = new TreeSet<>();
        models.forEach(m -> out.add(m.variant()));
        return out;
    }

    public Set<String> switches() {
        Set<String> out = new TreeSet<>();
        models.forEach(m -> out.addAll(m.switches()));
        return out;
    }

    public Set<String> modelIds() {
        Set<String> out = new TreeSet<>();
        models.forEach(m -> out.add(m.model()));
        return out;
    }
}
