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
 * WB_CTL_UAF (CVE-2026-63951), batched design: the bio's endio against the task's final drain.
 *
 * <p>Actor 1 is the writeback task, {@code writeback_store("page_index=0")}, with
 * wb_batch_size 1 (the kernel's default is 32; one page needs one request, and a smaller
 * wb_ctl means less set-up per sample). Actor 2 is the
 * device: it waits for the bio and completes it on its own CPU (transfer, status, end_io), as an
 * interrupt would. The endio puts the request on done_reqs under done_lock, drops the lock, then
 * calls wake_up(&amp;wb_ctl-&gt;done_wait). A task that tested done_reqs after the list_add did not
 * sleep: it reaps the request, returns and frees wb_ctl, and if that happens before the endio's
 * wake_up(), the wake-up touches freed memory. The fix: the endio runs under rcu_read_lock() and
 * wb_ctl is freed with kfree_rcu(). The arbiter reports r1 = 1 if NoUseAfterFree is broken, else 2 if any
 * other invariant is (or an endio threw), else 0; r2 =
 * writeback_store()'s return value.
 *
 * <p>{@code Defective} / {@code Fixed}: both sides of the window are held, each for 1 ms at
 * most: the task at {@code waitDone} (before it tests done_reqs) until the endio has reached
 * {@code endioWakeUp} (the task preempted on its way to the wait), and the endio at
 * {@code endioWakeUp} until the task has returned (an interrupt preempted between the unlock and
 * the wake-up). The fix must hold under the same holds. {@code DefectiveNatural} / {@code
 * FixedNatural}: no hold; the window is a few instructions.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, {@code -m sanity -c 2 -f 1}, 20 runs, 2026-11-25):
 * Defective saw the FORBIDDEN {@code 1, 0} in 20 of 20 runs (1208 of 2241 samples);
 * DefectiveNatural in 1 of 20 runs (1 of 2253 samples); Fixed and FixedNatural never (0 of 20
 * runs each; 0 of 50 with the fixed-only runs). Before the task-side hold (the endio held for
 * 50 µs only) Defective caught the defect in 2 of 3 runs.
 */
public final class WbCtlUafStress {

    private WbCtlUafStress() {
    }

    abstract static class Base extends TaskAndDevice {
        final Window.Reached endio = new Window.Reached("endioWakeUp");

        Base(Variant v, boolean widen) {
            super(new Machine(v, 2, 4, 1), "page_index=0");
            m.zram.zramBioWrite(0);
            if (widen) {
                m.kernel.setStep(label -> {
                    endio.at(label);
                    if (label.equals("waitDone")) {
                        Window.spinUntil(endio::reached, Window.HOLD_NANOS);
                    } else if (label.equals("endioWakeUp")) {
                        Window.spinUntil(() -> taskDone, Window.HOLD_NANOS);
                    }
                });
            }
        }

        void device() {
            completeNextBio();
        }

        void arbiter(II_Result r) {
            r.r1 = m.verdictOf(Defect.WB_CTL_UAF);
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
