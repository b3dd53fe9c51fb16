package dev.zwb.stress.jcstress;

import dev.zwb.stress.Machine;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * COMPLETION_REINIT, batched design (its v2 – v4): a late complete() satisfies the next wait.
 *
 * <p>Actor 1 is the writeback task, {@code writeback_store("page_indexes=0-1")} with
 * wb_batch_size 1, so the second page needs the first page's request back. Actor 2 is the
 * device: it completes bio 1, then bio 2, each on its own CPU as an interrupt would. In v2 – v4
 * the endio does {@code if (atomic_dec_return(&num_inflight) == 0) complete(&done)}; a task that
 * reads num_inflight between the decrement and the complete() skips its wait and
 * reinit_completion()s; the late complete() then ends the drain's wait for bio 2, and the task
 * marks slot 1 ZRAM_WB while bio 2 is still in flight. At label {@code releaseCtl} the task
 * checks NoLostOrStaleData (the end state no longer shows it: bio 2 lands later). The merged
 * design (the fix): the task, not the endio, counts num_inflight down, and only requests found on
 * done_reqs are completed. The arbiter reports r1 = 1 if NoLostOrStaleData was broken at
 * {@code releaseCtl}, else 2 if any invariant is broken at the end (or an endio threw), else 0;
 * r2 = writeback_store()'s return value.
 *
 * <p>{@code Defective} / {@code Fixed}: three holds of 1 ms at most: the task at its first
 * {@code waitDone} until the endio of bio 1 has reached its last step ({@code endioComplete} in
 * v2 – v4, {@code endioWakeUp} merged); that endio there until the task has reached its second
 * {@code waitDone}; and bio 2 on the device until the task has returned (a disk write takes
 * longer than 1 ms). The fix must hold under the same holds. {@code DefectiveNatural} /
 * {@code FixedNatural}: no hold.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, {@code -m sanity -c 2 -f 1}, 20 runs, 2026-11-25):
 * Defective saw the FORBIDDEN {@code 1, 0} in 20 of 20 runs (1154 of 2240 samples);
 * DefectiveNatural in 0 of 20 runs (0 of 2260 samples); Fixed and FixedNatural never (0 of 20
 * runs each; 0 of 50 with the fixed-only runs).
 */
public final class CompletionReinitStress {

    private CompletionReinitStress() {
    }

    abstract static class Base extends TaskAndDevice {
        final boolean aligned;
        volatile boolean endioAtLastStep;
        volatile int taskWaits;
        volatile boolean stale;

        Base(Variant v, boolean aligned) {
            super(new Machine(v, 2, 4, 1), "page_indexes=0-1");
            m.zram.zramBioWrite(0);
            m.zram.zramBioWrite(1);
            this.aligned = aligned;
            m.kernel.setStep(label -> {
                switch (label) {
                    case "releaseCtl" -> stale = !m.violationsOf(Defect.COMPLETION_REINIT).isEmpty();
                    case "waitDone" -> {
                        if (aligned && taskWaits == 0) {
                            Window.spinUntil(() -> endioAtLastStep, Window.HOLD_NANOS);
                        }
                        taskWaits++;
                    }
                    case "endioComplete", "endioWakeUp" -> {
                        if (aligned && !endioAtLastStep) {
                            endioAtLastStep = true;
                            Window.spinUntil(() -> taskWaits >= 2 || taskDone, Window.HOLD_NANOS);
                        }
                    }
                    default -> {
                    }
                }
            });
        }

        void device() {
            completeNextBio();
            if (aligned) {
                // bio 2: the disk takes its time (until the task has returned, 1 ms at most)
                Window.spinUntil(() -> m.bdev.pendingCount() > 0 || taskDone, Window.START_NANOS);
                Window.spinUntil(() -> taskDone, Window.HOLD_NANOS);
            }
            completeNextBio();
        }

        void arbiter(II_Result r) {
            r.r1 = stale ? 1 : m.verdictOf(Defect.COMPLETION_REINIT) == 0 ? 0 : 2;
            r.r2 = ret;
        }
    }

    @JCStressTest
    @Description("COMPLETION_REINIT on: a late complete() ends the wait for a bio still in flight.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the task waited for each bio")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "slot 1 was marked ZRAM_WB while its bio was in flight: the late complete() of bio 1 ended the wait for bio 2")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class Defective extends Base {
        public Defective() {
            super(Variant.only(Design.BATCHED, Defect.COMPLETION_REINIT), true);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            device();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed (merged): the task counts num_inflight down; only done_reqs are completed.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every slot was marked after its bio ended")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a slot was marked ZRAM_WB while its bio was in flight")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class Fixed extends Base {
        public Fixed() {
            super(Variant.fixed(Design.BATCHED), true);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            device();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("COMPLETION_REINIT on, no hold: the bare race.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the task waited for each bio")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a slot was marked ZRAM_WB while its bio was in flight")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class DefectiveNatural extends Base {
        public DefectiveNatural() {
            super(Variant.only(Design.BATCHED, Defect.COMPLETION_REINIT), false);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            device();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed, no hold.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "every slot was marked after its bio ended")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "a slot was marked ZRAM_WB while its bio was in flight")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class FixedNatural extends Base {
        public FixedNatural() {
            super(Variant.fixed(Design.BATCHED), false);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            device();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }
}
