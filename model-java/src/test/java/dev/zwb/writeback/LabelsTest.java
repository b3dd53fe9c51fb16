package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.zram.AsyncRead;
import dev.zwb.zram.Zram;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The step hook is called with the declared labels only, and a workload that takes every path
 * (limit, error, skipped slot, reads, frees, every variant) passes each declared label: the Java
 * and the spec can be matched label by label.
 */
class LabelsTest {

    static List<String> declared(Design design) {
        List<String> labels = new ArrayList<>(Zram.ENV_LABELS);
        switch (design) {
            case SINGLE -> labels.addAll(SinglePage.LABELS);
            case MULTIPAGE -> labels.addAll(MultiPage.LABELS);
            case BATCHED -> {
                labels.addAll(Batched.LABELS);
                labels.addAll(Batched.COMPLETION_REINIT_LABELS);
            }
        }
        return labels;
    }

    /** Every path once: a skipped slot, a failed bio, the limit, reads of every kind, frees, a second run. */
    private static Set<String> workload(Variant v) {
        try (Rig rig = new Rig(v, 4, 8, 2)) {
            for (int i = 0; i < 4; i++) {
                rig.write(i);
            }
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(3);
            Actor<Integer> task = rig.writeback("page_indexes=0-3");
            rig.settle(task);
            rig.zram.zramBioRead(0); // slot 0 is not yet written back: it loses ZRAM_PP_SLOT
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext(-Errno.EIO).join();
            rig.finish(task);
            rig.zram.writebackLimitEnableStore(false);
            rig.write(1); // a lone page whose write fails: the error is met in the drain
            Actor<Integer> lone = rig.writeback("page_index=1");
            rig.settle(lone);
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext(-Errno.EIO).join();
            rig.finish(lone);
            for (int i = 0; i < 4; i++) {
                rig.finish(rig.read(i));
            }
            if (declared(v.design()).contains("nextRun")) { // writeback_store() again (WbRuns)
                rig.write(0);
                rig.finish(rig.writebackRuns("page_index=0", 2));
            }
            // the asynchronous read of a written-back slot: readSubmit, then the device's readEndio
            rig.zram.setAsyncRead(AsyncRead.CHAINED);
            rig.write(0);
            rig.runWriteback("page_index=0");
            rig.finish(rig.read(0));
            rig.bdev.completeAll();
            rig.zram.zramSlotFreeNotify(3);
            rig.zram.zramBioDiscard(2);
            if (v.design() == Design.BATCHED) { // the spec's markIdle is batched's (6.19 lock context)
                rig.zram.idleStore();
            }
            return new LinkedHashSet<>(rig.log.labels(""));
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void everyLabelIsDeclaredAndEveryDeclaredLabelIsPassed(Design design) {
        Set<String> seen = new LinkedHashSet<>();
        for (Variant v : Variant.all(design)) {
            if (!v.on(Defect.LOST_WAKEUP)) { // it hangs the task by design: BatchedTest
                seen.addAll(workload(v));
            }
        }
        List<String> declared = declared(design);
        assertTrue(declared.containsAll(seen), "undeclared: " + without(seen, declared));
        assertEquals(Set.of(), without(declared, seen), "never passed");
    }

    private static Set<String> without(java.util.Collection<String> a, java.util.Collection<String> b) {
        Set<String> d = new LinkedHashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
