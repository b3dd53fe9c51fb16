package dev.zwb.manifest;

import java.util.List;

/**
 * One model of the manifest: a spec, a config, the switches the config turns
 * on and the verdict TLC must reach.
 *
 * @param model    "design/variant", also the config's path under spec/models
 * @param mode     "exhaustive" (breadth-first) or "simulate"
 * @param profile  "ci" (checked by the test suite and by default) or "large"
 * @param simDepth for simulate: the depth of each behaviour (-depth)
 * @param simTraces for simulate: how many behaviours (-simulate num=)
 * @param simSeed  for simulate: TLC's -seed, so a run is repeatable
 * @param expected the verdict TLC must reach; null for an ad hoc run (zwb check --config / --set)
 */
public record ModelEntry(
        String model,
        String design,
        String variant,
        String spec,
        String config,
        List<String> switches,
        String mode,
        String profile,
        Expected expected,
        String note,
        int simDepth,
        long simTraces,
        long simSeed) {

    public ModelEntry {
        switches = List.copyOf(switches);
    }

    public boolean isSimulation() {
        return mode.equals("simulate");
    }

    /** The same model without a verdict to hold it to: an ad hoc run. */
    public ModelEntry adHoc(String note) {
        return new ModelEntry(model, design, variant, spec, config, switches, mode, profile, null, note,
                simDepth, simTraces, simSeed);
    }

    /** The switches as the table prints them. */
    public String switchText() {
        return switches.isEmpty() ? "-" : String.join(",", switches);
    }
}
