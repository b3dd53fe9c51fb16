package dev.zwb.conform;

import dev.zwb.Repo;
import dev.zwb.Rig;
import dev.zwb.kernel.Content;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import dev.zwb.zram.Zram;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parts of the replay that need no TLC run: the constants, the step names, the failed read. */
class ConformPartsTest {

    @Test
    void readsAModelsConstants() throws Exception {
        ModelConstants k = ModelConstants.read(Repo.root().resolve("spec/models/multipage/as-posted.cfg"));
        assertEquals(List.of(1, 2), k.ints("Slots"));
        assertEquals(2, k.integer("PoolSize"));
        assertTrue(k.bool("BioErrors"));
        assertEquals(Set.of("WRONG_PPS_CLEAR", "REQ_POOL_UAF", "LIMIT_AT_COMPLETION", "READ_BLKIDX_UNLOCKED"),
                k.strings("Switches"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> k.integer("Switches"));
        assertTrue(e.getMessage().contains("Switches") && e.getMessage().contains("not an integer"), e.getMessage());
    }

    @Test
    void aBadConstantIsOneLineNamingIt() throws Exception {
        Path cfg = Files.createTempFile("bad", ".cfg");
        Files.writeString(cfg, "CONSTANTS\n    Slots = {1, 2\nINVARIANTS\n    TypeOK\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelConstants.read(cfg));
        assertTrue(e.getMessage().contains("constant Slots"), e.getMessage());
        Files.delete(cfg);
    }

    @Test
    void stepNamesComeFromLastStep() {
        Map<String, TlaValue> cur = Map.of("lastStep", TlaParser.parse("[proc |-> \"endio[2]\", label |-> \"endioLock\"]"));
        assertEquals(List.of("endio[2]", "endioLock"), List.of(StepNames.of(Map.of(), cur, "Next")));
    }

    @Test
    void withoutLastStepTheCountersName() {
        Map<String, TlaValue> prev = Map.of("wbPc", TlaParser.parse("\"scan\""),
                "envPc", TlaParser.parse("[read |-> \"readLock\"]"));
        Map<String, TlaValue> cur = Map.of("wbPc", TlaParser.parse("\"scan\""),
                "envPc", TlaParser.parse("[read |-> \"readBio\"]"));
        assertEquals(List.of("read", "readLock"), List.of(StepNames.of(prev, cur, "EnvNext")));
        assertEquals(List.of("wb", "scan"), List.of(StepNames.of(prev, prev, "scan")));
        assertEquals(List.of("bdev", "bioEndio"), List.of(StepNames.of(prev, prev, "bioEndio")));
    }

    /**
     * READ_BLKIDX_UNLOCKED: the reader drops the lock, the slot is written again (a zsmalloc
     * handle), the reader takes that handle for a block: the bio fails, and so does the read (the
     * spec's ZsHandle and Failed); the fixed path reads the slot's own data.
     */
    @Test
    void aZsmallocHandleTakenForABlockFailsTheRead() {
        for (boolean unlocked : new boolean[] {true, false}) {
            Variant v = unlocked ? Variant.only(Design.SINGLE, Defect.READ_BLKIDX_UNLOCKED) : Variant.fixed(Design.SINGLE);
            try (Rig rig = new Rig(v)) {
                rig.write(0);
                assertEquals(0, rig.runWriteback("page_index=0"));
                StepGate.Pause pause = rig.gate.pauseAt(unlocked ? "readHandleUnlocked" : "readBio", "reader");
                Actor<Content> reader = rig.read(0);
                pause.awaitArrival(); // the reader holds no lock here
                rig.write(0);
                pause.release();
                Content got = rig.finish(reader);
                Zram.ReaderView view = rig.zram.readerView();
                if (unlocked) {
                    assertNull(got, "the read failed");
                    assertTrue(view.failed());
                    assertTrue(view.blkIdx() >= rig.bdev.nrPages(), "a zsmalloc handle, not a block: " + view.blkIdx());
                    assertEquals(1, rig.zram.stats.failedReads.get());
                } else {
                    assertEquals(new Content(0, 2), got, "the re-check reads the new page");
                    assertEquals(0, rig.zram.stats.failedReads.get());
                }
            }
        }
    }
}
