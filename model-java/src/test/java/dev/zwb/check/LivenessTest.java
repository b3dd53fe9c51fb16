package dev.zwb.check;

import dev.zwb.Rig;
import dev.zwb.bdev.BackingDevice;
import dev.zwb.kernel.Content;
import dev.zwb.sched.Actor;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LivenessTest {

    /** A device that never completes the bio: writeback cannot return, and that is reported. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void aBioThatNeverCompletesIsReportedNotHung(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design))) {
            rig.write(0);
            Actor<Integer> task = rig.writeback("page_index=0");
            rig.settle(task);
            List<Violation> v = Liveness.writebackReturns(task, Duration.ofMillis(50), rig.zram);
            assertEquals(Invariant.WritebackReturns, v.get(0).invariant());
            rig.bdev.completeNext().join(); // fair completion: now it returns
            assertEquals(List.of(), Liveness.writebackReturns(task, Duration.ofSeconds(5), rig.zram));
        }
    }

    /** The async device: latency, a shallow queue, concurrent completions. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void fixedDesignsRunToTheEndOnTheAsyncDevice(Design design) {
        BackingDevice.AsyncConfig cfg = new BackingDevice.AsyncConfig(3, Duration.ZERO,
                Duration.ofMillis(1), 0.0, 7, 2);
        try (Rig rig = new Rig(Variant.fixed(design), 12, BackingDevice.async(16, cfg), 4)) {
            for (int i = 0; i < 12; i++) {
                rig.write(i);
            }
            Actor<Integer> task = rig.writeback("page_indexes=0-11");
            assertEquals(List.of(), Liveness.writebackReturns(task, Duration.ofSeconds(10), rig.zram));
            assertEquals(0, task.join());
            assertEquals(12, rig.zram.stats.bdCount.get());
            for (int i = 0; i < 12; i++) {
                assertEquals(new Content(i, 1), rig.zram.zramBioRead(i));
            }
            assertEquals(List.of(), rig.violations());
            assertTrue(rig.kernel.kasan.reports().isEmpty(), rig.kernel.kasan.reports().toString());
        }
    }
}
