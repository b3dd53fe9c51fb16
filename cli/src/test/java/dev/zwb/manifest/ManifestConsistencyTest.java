package dev.zwb.manifest;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** spec/models and spec/manifest.json describe the same models, and each model says what it checks. */
class ManifestConsistencyTest {

    @Test
    void everyConfigIsInTheManifestAndEveryEntryHasItsConfig() throws Exception {
        Manifest m = Repo.manifest();
        Set<String> configs = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(Repo.spec().resolve("models"))) {
            walk.filter(p -> p.toString().endsWith(".cfg"))
                    .forEach(p -> configs.add(Repo.spec().relativize(p).toString().replace('\\', '/')));
        }
        Set<String> listed = new TreeSet<>();
        for (ModelEntry e : m.models()) {
            listed.add(e.config());
            assertTrue(Files.isRegularFile(Repo.spec().resolve(e.config())), e.model() + ": no " + e.config());
            assertEquals("models/" + e.model() + ".cfg", e.config(), "config path follows the model id");
            assertTrue(Files.isRegularFile(Repo.spec().resolve(e.spec() + ".tla")), e.model() + ": no spec " + e.spec());
        }
        assertEquals(configs, listed, "configs under spec/models vs manifest entries");
    }

    @Test
    void configSwitchesMatchTheManifest() throws Exception {
        for (ModelEntry e : Repo.manifest().models()) {
            ModelConfig cfg = ModelConfig.read(Repo.spec().resolve(e.config()));
            assertEquals(e.switches(), cfg.switches(), e.model());
        }
    }

    @Test
    void anExpectedViolationIsOneTheConfigChecks() throws Exception {
        for (ModelEntry e : Repo.manifest().models()) {
            ModelConfig cfg = ModelConfig.read(Repo.spec().resolve(e.config()));
            Expected x = e.expected();
            if (x.result().equals("invariant")) {
                assertTrue(cfg.invariants().contains(x.name()), e.model() + " does not check " + x.name());
            }
            if (x.result().equals("property")) {
                assertEquals(List.of(x.name()), cfg.properties(),
                        e.model() + ": one temporal property per model (TLC does not name the one that failed)");
            }
            assertTrue(cfg.properties().size() <= 1, e.model() + ": at most one temporal property per model");
        }
    }

    @Test
    void everyDesignHasItsReleasedAndFixedVariantsAndEverySwitchAlone() throws Exception {
        Manifest m = Repo.manifest();
        for (String design : m.designs()) {
            List<ModelEntry> of = new ArrayList<>();
            m.models().stream().filter(e -> e.design().equals(design)).forEach(of::add);
            assertTrue(of.stream().anyMatch(e -> e.variant().equals("fixed") && e.switches().isEmpty()),
                    design + " has a fixed variant with no switch on");
            assertTrue(of.stream().anyMatch(e -> e.variant().startsWith("as-")),
                    design + " has an as-released (or as-posted) variant");
            Set<String> switches = new TreeSet<>();
            of.forEach(e -> switches.addAll(e.switches()));
            for (String sw : switches) {
                String alone = sw.toLowerCase().replace('_', '-');
                assertTrue(of.stream().anyMatch(e -> e.variant().equals(alone) && e.switches().equals(List.of(sw))),
                        design + ": switch " + sw + " has a model of its own, " + design + "/" + alone);
            }
            for (ModelEntry e : of) {
                if (!e.switches().isEmpty() && e.profile().equals("ci")) {
                    assertTrue(!e.expected().isSuccess() || !e.note().isBlank(),
                            e.model() + ": a switch that breaks nothing must say why in its note");
                }
            }
        }
    }
}
