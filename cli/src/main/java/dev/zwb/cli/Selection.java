package dev.zwb.cli;

import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Which manifest models a command works on: filters that must each name something real. */
final class Selection {

    static final List<String> PROFILES = List.of("ci", "large", "all");

    private Selection() {
    }

    static List<ModelEntry> select(Manifest m, List<String> designs, List<String> variants, List<String> models,
                                   List<String> switches, String profile) {
        known("design", designs, m.designs());
        known("variant", variants, m.variants());
        known("model", models, m.modelIds());
        List<String> sw = new ArrayList<>();
        for (String s : switches) {
            sw.add(s.toUpperCase(Locale.ROOT).replace('-', '_')); // switch names are case-insensitive
        }
        known("switch", sw, m.switches());
        if (!PROFILES.contains(profile)) {
            throw new UserError(Suggest.unknown("profile", profile, PROFILES, ""));
        }
        boolean named = !models.isEmpty();
        List<ModelEntry> out = m.models().stream()
                .filter(e -> designs.isEmpty() || designs.contains(e.design()))
                .filter(e -> variants.isEmpty() || variants.contains(e.variant()))
                .filter(e -> models.isEmpty() || models.contains(e.model()))
                .filter(e -> sw.isEmpty() || e.switches().stream().anyMatch(sw::contains))
                // a model named with --model runs whatever its profile
                .filter(e -> named || profile.equals("all") || e.profile().equals(profile))
                .toList();
        if (out.isEmpty()) {
            throw new UserError("no model of the manifest matches the filters given (profile " + profile + ")");
        }
        return out;
    }

    private static void known(String what, List<String> given, Set<String> accepted) {
        for (String g : given) {
            if (!accepted.contains(g)) {
                throw new UserError(Suggest.unknown(what, g, accepted,
                        "zwb list shows all " + accepted.size() + " " + (what.endsWith("ch") ? what + "es" : what + "s")));
            }
        }
    }
}
