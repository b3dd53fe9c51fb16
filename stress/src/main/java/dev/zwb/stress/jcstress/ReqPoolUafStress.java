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
 * REQ_POOL_UAF, multipage design: the bio's endio against the task's drain loop.
 *
 * <p>Actor 1 is the writeback task, {@code writeback_store("page_index=0")} with a pool of two
 * requests (the bio goes out on request 0; request 1 is the one the loop holds when it ends).
 * Actor 2 is the device: it waits for the bio and completes it on its own CPU, as an interrupt
 * would. The posted zram_writeback_endio() sets COMPLETED, clears ALLOCATED, and only then calls
 * complete(req-&gt;done). A drain that tests ALLOCATED between the clear and the complete() does
 * not wait: it converts the slot, kfree()s the pool and returns, and the endio's complete() runs
 * on the freed pool and on the completion in the dead stack frame. The fix (the count, label
 * {@code drainCount}): take one completion per submitted bio before the drain loop. The arbiter
 * reports r1 = 1 if NoUseAfterFree is broken, else 2 if any other invariant is (or an endio
 * threw), else 0, r2 = writeback_store()'s return value.
 *
 * <p>{@code Defective} / {@code Fixed}: both sides of the window are held, each for 1 ms at
 * most: the task at {@code drainTest} until the endio has reached {@code endioComplete} (the
 * task preempted between blk_finish_plug() and the drain), the endio at {@code endioComplete}
 * until the task has returned (an interrupt preempted between clear_bit() and complete()). With
 * both holds the window is as wide as the two preemptions; the fix must hold under exactly the
 * same holds. {@code DefectiveNatural} / {@code FixedNatural}: no hold.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, {@code -m sanity -c 2 -f 1}, 20 runs, 2026-11-25):
 * Defective saw the FORBIDDEN {@code 1, 0} in 20 of 20 runs (1153 of 2240 samples);
 * DefectiveNatural in 0 of 20 runs (0 of 2244 samples): the bare window was never hit here;
 * Fixed and FixedNatural never (0 of 20 runs each; 0 of 50 with the fixed-only runs).
 */
public final class ReqPoolUafStress {

    private ReqPoolUafStress() {
    }

    abstract static class Base extends TaskAndDevice {
        final Window.Reached endio = new Window.Reached("endioComplete");

        Base(Variant v, boolean aligned) {
            super(new Machine(v, 2, 4, 2), "page_index=0");
            m.zram.zramBioWrite(0);
            if (aligned) {
                m.kernel.setStep(label -> {
                    endio.at(label);
                    if (label.equals("drainTest")) {
                        Window.spinUntil(endio::reached, Window.HOLD_NANOS);
                    } else if (label.equals("endioComplete")) {
                        Window.spinUntil(() -> taskDone, Window.HOLD_NANOS);
                    }
                });
            }
        }

        void device() {
            completeNextBio();
        }

        void arbiter(II_Result r) {
            r.r1 = m.verdictOf(Defect.REQ_POOL_UAF);
            r.r2 = ret;
        }
    }

    @JCStressTest
    @Description("REQ_POOL_UAF on: complete() on the freed pool and the dead on-stack completion.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the drain saw ALLOCATED set and waited for the complete()")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the drain saw ALLOCATED clear, freed the pool and returned; the endio's complete() touched freed memory")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class Defective extends Base {
        public Defective() {
            super(Variant.only(Design.MULTIPAGE, Defect.REQ_POOL_UAF), true);
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
    @Description("Fixed: one completion taken per submitted bio before the drain loop.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the task took the bio's complete() before it freed anything")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "the endio touched the freed pool or the dead completion")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class Fixed extends Base {
        public Fixed() {
            super(Variant.fixed(Design.MULTIPAGE), true);
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
    @Description("REQ_POOL_UAF on, no hold: the bare race.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the drain waited for the complete()")
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "complete() on the freed pool")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class DefectiveNatural extends Base {
        public DefectiveNatural() {
            super(Variant.only(Design.MULTIPAGE, Defect.REQ_POOL_UAF), false);
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
    @Outcome(id = "1, 0", expect = FORBIDDEN, desc = "complete() on the freed pool")
    @Outcome(expect = FORBIDDEN, desc = "anything else: writeback failed, or a model bug")
    @State
    public static class FixedNatural extends Base {
        public FixedNatural() {
            super(Variant.fixed(Design.MULTIPAGE), false);
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
