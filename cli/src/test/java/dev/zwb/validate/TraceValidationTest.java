package dev.zwb.validate;

import dev.zwb.Repo;
import dev.zwb.conform.JavaTwin;
import dev.zwb.conform.ModelConstants;
import dev.zwb.conform.Validation;
import dev.zwb.kernel.Step;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.SinglePage;
import dev.zwb.zram.ZramTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zwb validate in both directions: seeded runs of every design's Java twin, on the fixed and the
 * as-released (multipage: as-posted) models, are behaviours of the spec (TLC accepts their logs);
 * a twin changed to do what the spec forbids is rejected at the step where it does it.
 */
class TraceValidationTest {

    /** The seeds each model runs with: a few, the models are small (one TLC run checks them all). */
    private static final List<Long> SEEDS = List.of(1L, 2L, 3L);
    private static final List<String> VARIANTS = List.of("fixed", "as-released", "as-posted", "mainline-mark-idle",
            "v619-mark-idle", "fixed-incompressible");

    private static TraceValidator validator() throws IOException {
        return new TraceValidator(Repo.spec(), Path.of("target", "validate").toAbsolutePath(), Repo.runner("tlc-validate"));
    }

    private static Path model(Design d, String variant) {
        return Repo.spec().resolve("models").resolve(d.id()).resolve(variant + ".cfg");
    }

    /** Every design's fixed and as-released models that exist, batched's two with mark_idle() and
     * fixed-incompressible (the twin's recompress_store() marks the slot). */
    static Stream<Arguments> models() {
        List<Arguments> out = new ArrayList<>();
        for (Design d : Design.values()) {
            for (String v : VARIANTS) {
                if (model(d, v).toFile().isFile()) {
                    out.add(Arguments.of(d, v));
                }
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}/{1}")
    @MethodSource("models")
    void seededRunsAreBehavioursOfTheSpec(Design d, String variant) throws Exception {
        boolean device = false;
        for (TraceValidator.Result r : validator().validate(d, model(d, variant), SEEDS)) {
            Validation.Run run = r.run();
            assertTrue(run.finished(), run.end());
            assertTrue(r.accepted(), () -> "seed " + run.seed() + ": " + r.rejection() + "\n" + run.log());
            assertEquals(run.log().size(), r.reached());
            assertTrue(run.log().stream().anyMatch(e -> e.process() != null && isEnv(e.process())), run.log().toString());
            device |= run.log().stream().anyMatch(e -> e.process() != null
                    && (e.process().startsWith("bdev") || e.process().startsWith("endio")));
        }
        // the seeds make the device write: some run takes the writeback's bio path, not only skips
        assertTrue(device, "no run of " + d.id() + "/" + variant + " ended a bio");
    }

    private static boolean isEnv(String process) {
        return Set.of("freeNotify", "discard", "write", "read", "limitStore").contains(process);
    }

    /** The same seed makes the same run (no wall-clock dependence). */
    @Test
    void aSeedMakesTheSameRun() throws IOException {
        ModelConstants k = ModelConstants.read(model(Design.MULTIPAGE, "fixed"));
        Validation.Run a = Validation.run(Design.MULTIPAGE, k, 7);
        Validation.Run b = Validation.run(Design.MULTIPAGE, k, 7);
        assertEquals(a.log(), b.log());
        assertEquals(a.choices(), b.choices());
    }

    /**
     * The fixture: single's writeback task clears ZRAM_PP_SLOT of its slot outside the slot lock as
     * it arrives at submitBio (the C never does; zram_writeback_slots() reads the flag under the lock
     * and only slot_free() clears it). TLC must reject the step that led there, readSlot, by tbl.
     */
    @Test
    void aTwinThatClearsAFlagOutsideTheSlotLockIsRejectedWhereItDoes() throws Exception {
        Path cfg = model(Design.SINGLE, "fixed");
        ModelConstants k = ModelConstants.read(cfg);
        TraceValidator.Result r = validator().validate(Design.SINGLE, cfg, 1,
                seed -> Validation.run(Design.SINGLE, k, seed, TraceValidationTest::clearPpSlotAtSubmit));
        List<Validation.Entry> log = r.run().log();
        // the hook fires as the task arrives at its first submitBio: the step that led there is the
        // task's readSlot just before (entries are 1-based, as TLC's index)
        int submit = -1;
        for (int i = 0; i < log.size() && submit < 0; i++) {
            if ("wb".equals(log.get(i).process()) && "submitBio".equals(log.get(i).label())) {
                submit = i;
            }
        }
        assertTrue(submit > 0, "the run never submitted a bio, the fixture never acted: " + log);
        int readSlot = -1;
        for (int i = submit - 1; i > 0 && readSlot < 0; i--) {
            if ("wb".equals(log.get(i).process())) {
                assertEquals("readSlot", log.get(i).label());
                readSlot = i + 1;
            }
        }
        assertFalse(r.accepted(), "TLC accepted a run that clears ZRAM_PP_SLOT outside the lock");
        assertEquals(readSlot, r.failing(), r.rejection());
        assertEquals(List.of("tbl"), List.copyOf(r.differs()), r.rejection());
    }

    /**
     * The fixed model's twin with the as-released code (its defect switches and kernel on),
     * checked against the fixed spec: every seed makes a run the fixed spec cannot take (multipage:
     * LIMIT_AT_COMPLETION leaves bd_wb_limit uncharged at submitBio, or WRONG_PPS_CLEAR at
     * finishPlug; batched: the 6.19 endio takes no RCU read lock, or BLK_IDX_LEAK keeps the carried
     * block). The runs are checked by one TLC run. Single is not here: its as-released code
     * (READ_BLKIDX_UNLOCKED) differs only when a read meets a written-back slot, which none of
     * seeds 1 - 10 makes (docs/conformance.md).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("asReleased")
    void theAsReleasedTwinIsNotTheFixedSpec(Design d, String variant) throws Exception {
        ModelConstants fixed = ModelConstants.read(model(d, "fixed"));
        ModelConstants asReleased = ModelConstants.read(model(d, variant));
        java.util.Map<String, dev.zwb.conform.TlaValue> code = new java.util.LinkedHashMap<>(fixed.values());
        for (String c : List.of("Switches", "Kernel")) {
            if (asReleased.has(c)) {
                code.put(c, asReleased.get(c));
            }
        }
        ModelConstants released = new ModelConstants(fixed.file(), code);
        List<TraceValidator.Result> results = validator().validate(d, model(d, "fixed"), SEEDS,
                seed -> Validation.run(d, released, seed));
        for (TraceValidator.Result r : results) {
            assertFalse(r.accepted(), "seed " + r.run().seed() + " of the " + variant
                    + " code was a behaviour of the fixed spec: " + r.run().log());
            assertFalse(r.differs().isEmpty(), r.rejection());
        }
    }

    static Stream<Arguments> asReleased() {
        return models().filter(a -> a.get()[1].equals("as-released") || a.get()[1].equals("as-posted"))
                .filter(a -> a.get()[0] != Design.SINGLE);
    }

    private static void clearPpSlotAtSubmit(JavaTwin twin) {
        Step scheduler = twin.kernel.step();
        twin.kernel.setStep(label -> {
            if (label.equals("submitBio") && Thread.currentThread() == twin.thread("wb")) {
                int slot = ((SinglePage) twin.wb).locals().pps().peekIndex();
                twin.zram.table.zramClearFlag(slot, ZramTable.ZRAM_PP_SLOT);
            }
            scheduler.at(label);
        });
    }
}
