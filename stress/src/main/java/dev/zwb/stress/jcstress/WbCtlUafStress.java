package dev.zwb.stress.jcstress;

import dev.zwb.check.Invariant;
import dev.zwb.stress.Machine;
import dev.zwb.stress.Scenario;
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
 * WB_CTL_UAF (CVE-2026-63951), batched design: the bio's endio against the task's final drain.
 *
 * <p>Actor 1 is the writeback task, {@code writeback_store("page_index=0")}. Actor 2 is the
 * device: it waits for the bio and completes it on its own CPU (transfer, status, end_io), as an
 * interrupt would. The endio puts the request on done_reqs under done_lock, drops the lock, then
 * calls wake_up(&amp;wb_ctl-&gt;done_wait). A task that tested done_reqs after the list_add did not
 * sleep: it reaps the request, returns and frees wb_ctl, and if that happens before the endio's
 * wake_up(), the wake-up touches freed memory. The fix: the endio runs under rcu_read_lock() and
 * wb_ctl is freed with kfree_rcu(). The arbiter reports r1 = NoUseAfterFree is broken, r2 =
 * writeback_store()'s return value.
 *
 * <p>{@code Defective} / {@code Fixed}: the endio is held at label {@code endioWakeUp} until the
 * task has returned, for 50 µs at most (an interrupt preempted between unlock and wake-up); a
 * task that went to sleep first is woken after the 50 µs. {@code DefectiveNatural} / {@code
 * FixedNatural}: no hold; the window is a few instructions.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, -m sanity): Defective saw the FORBIDDEN
 * {@code 1, 0} in 2 of 3 runs (2 of 112 samples in one of them); a variant that also waited for the
 * task to reach {@code drainWait} saw it in 0 of 5 (the task was asleep first). Fixed: never
 * FORBIDDEN (10 runs); WbCtlUafStress.DefectiveNatural: 0 of 3 runs. So this test is in the stress-long set, not the default one.
 */
public final class WbCtlUafStress {

    private WbCtlUafStress() {
    }

    abstract static class Base {
        final Machine m;
        volatile boolean taskDone;
        volatile int ret = Integer.MIN_VALUE;
        private final boolean widen;

        Base(Variant v, boolean widen) {
            m = new Machine(v, 2, 4, 32);
            m.zram.zramBioWrite(0);
            this.widen = widen;
            if (widen) {
                m.kernel.setStep(label -> {
                    if (label.equals("endioWakeUp")) {
                        Window.spinUntil(() -> taskDone, 50_000);
                    }
                });
            }
        }

        void task() {
            ret = m.wb.writebackStore("page_index=0");
            taskDone = true;
        }

        void device() {
            Window.spinUntil(() -> m.bdev.pendingCount() > 0 || taskDone, 1_000_000_000L);
            m.bdev.completeNextInline(0);
        }

        void arbiter(II_Result r) {
            r.r1 = Scenario.check(m, Invariant.valueOf(Defect.WB_CTL_UAF.breaks())).isEmpty() ? 0 : 1;
            r.r2 = ret;
        }
    }

    @JCStressTest
    @Description("WB_CTL_UAF on: wake_up() on a freed wb_ctl.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the task slept and was woken, or the wake-up came before the free")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the task reaped without the wake-up and freed wb_ctl; the endio's wake_up() touched freed memory")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class Defective extends Base {
        public Defective() {
            super(Variant.only(Design.BATCHED, Defect.WB_CTL_UAF), true);
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
    @Description("Fixed: rcu_read_lock() in the endio, kfree_rcu() of wb_ctl.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "no use after free, whoever came first")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the endio's wake_up() touched a freed wb_ctl")
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
    @Description("WB_CTL_UAF on, no hold: the bare race.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the task slept and was woken, or the wake-up came before the free")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "wake_up() on a freed wb_ctl")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class DefectiveNatural extends Base {
        public DefectiveNatural() {
            super(Variant.only(Design.BATCHED, Defect.WB_CTL_UAF), false);
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
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "no use after free")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "wake_up() on a freed wb_ctl")
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
