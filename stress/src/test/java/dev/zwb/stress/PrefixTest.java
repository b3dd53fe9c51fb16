package dev.zwb.stress;

import dev.zwb.writeback.Defect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The prefixes of the scenarios that start just before their race ({@link Prefix}), on real
 * threads: every hand-over is reached in both variants and the fixed one breaks nothing. (Under
 * Lincheck, LincheckHarnessTest checks both directions.)
 */
class PrefixTest {

    /** A guard against a hand-over that never comes (a run takes milliseconds). */
    private static final Duration HANG_GUARD = Duration.ofSeconds(120);

    @Test
    void aPrefixStartsWithTheTask() {
        assertThrows(IllegalArgumentException.class, () -> new Prefix(
                List.of(new Prefix.Stop(Prefix.Side.ENDIO, Set.of("endioLock"))), "-"));
    }

    @Test
    void stopsAlternateBetweenTheSides() {
        assertThrows(IllegalArgumentException.class, () -> new Prefix(List.of(
                new Prefix.Stop(Prefix.Side.TASK, Set.of("drainWait")),
                new Prefix.Stop(Prefix.Side.TASK, Set.of("waitDone"))), "-"));
    }

    @ParameterizedTest
    @EnumSource(value = Defect.class, names = {"REQ_POOL_UAF", "WB_CTL_UAF", "COMPLETION_REINIT"})
    void theHandOversComeInBothVariantsAndTheFixOnePasses(Defect d) {
        Scenario s = Scenario.startingJustBeforeTheRace().stream().filter(sc -> sc.defect == d)
                .findFirst().orElseThrow();
        assertNotNull(s.prefix, d + " starts just before its race");
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            for (int i = 0; i < 20; i++) {
                assertEquals(List.of(), s.runOnce(s.fixed()), d + " fixed, run " + i);
                s.runOnce(s.defective()); // the hand-overs come (a missed one throws or hangs)
            }
        });
    }
}
