package dev.zwb.cli;

import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.manifest.ModelConfig;
import dev.zwb.manifest.ModelEntry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * zwb check --config FILE.cfg: a config that is not in the manifest, checked
 * for its result only. Its spec is --spec (a design or a module name), or the
 * design whose models directory holds the config.
 */
final class AdHoc {

    private AdHoc() {
    }

    static ModelEntry entry(Path root, Manifest m, Path config, String spec) {
        Path cfg = config.isAbsolute() ? config : Path.of("").toAbsolutePath().resolve(config).normalize();
        if (!Files.isRegularFile(cfg)) {
            throw new UserError("--config " + config + ": no such file");
        }
        Map<String, String> specs = new LinkedHashMap<>();
        m.models().forEach(e -> specs.putIfAbsent(e.design(), e.spec()));
        String design;
        String module;
        if (spec != null) {
            if (specs.containsKey(spec)) {
                design = spec;
                module = specs.get(spec);
            } else if (Files.isRegularFile(m.specDir().resolve(spec + ".tla"))) {
                module = spec;
                design = specs.entrySet().stream().filter(e -> e.getValue().equals(spec)).map(Map.Entry::getKey)
                        .findFirst().orElse("adhoc");
            } else {
                throw new UserError(Suggest.unknown("spec", spec, specs.keySet(), "")
                        + " (or a module name under spec/)");
            }
        } else {
            Path models = m.specDir().resolve("models");
            if (cfg.startsWith(models) && cfg.getNameCount() > models.getNameCount() + 1) {
                design = cfg.getName(models.getNameCount()).toString();
                module = specs.get(design);
            } else {
                design = null;
                module = null;
            }
            if (module == null) {
                throw new UserError("cannot tell the spec of --config " + config + "; add --spec with one of: "
                        + String.join(", ", specs.keySet()));
            }
        }
        ModelConfig parsed;
        try {
            parsed = ModelConfig.read(cfg);
        } catch (ManifestException e) {
            throw new UserError(e.getMessage());
        }
        String name = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
        return new ModelEntry(design + "/" + name, design, name, module, cfg.toString(), parsed.switches(),
                "exhaustive", "adhoc", null, "ad hoc: " + (cfg.startsWith(root) ? root.relativize(cfg) : cfg), -1, -1, 1);
    }
}
