package dev.zwb.stress.jcstress;

import dev.zwb.kernel.Step;
import dev.zwb.stress.Machine;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import dev.zwb.zram.ZramTable;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE_INTERESTING;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * NO_PP_RECHECK, single-page design: an overwrite of slot 0 races the writeback of slot 0.
 *
 * <p>Actor 1 is the writeback task, {@code writeback_store("page_index=0")}; the device is
 * synchronous (the bio is completed on the task's own thread at label {@code bioWait}), as a
 * fast disk would. Actor 2 writes slot 0 again. The arbiter reports r1 = slot 0 is ZRAM_WB,
 * r2 = 1 if NoLostOrStaleData is broken, else 2 if any other invariant is (or an endio threw), else 0. A conversion without the re-test of ZRAM_PP_SLOT puts the
 * slot on the block holding the old data: the new write is lost.
 *
 * <p>{@code Defective} / {@code Fixed}: actor 2 starts its write once the task has passed label
 * {@code submitBio} (a flag set by the step hook), so the write lands in or just after the
 * window; where exactly is the hardware's choice. {@code DefectiveNatural} / {@code
 * FixedNatural}: no hook; both start together, and the write usually lands before the scan.
 *
 * <p>Run one: {@code mvn -q -pl stress -am test -Dtest=JcstressHarnessTest} (default set), or by
 * hand from stress/target/jcstress-work:
 * {@code java -cp "$(cat ../classpath.txt)" org.openjdk.jcstress.Main -t NoPpRecheckStress -m sanity -c 2 -f 1}.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, {@code -m sanity -c 2 -f 1}, 20 runs, 2026-11-25):
 * Defective saw the FORBIDDEN {@code 1, 1} in 20 of 20 runs (703 of 2244 samples);
 * DefectiveNatural in 20 of 20 runs (126 of 2275 samples); Fixed and FixedNatural never (0 of
 * 20 runs each; 0 of 50 with the fixed-only runs, docs/stress.md).
 */
public final class NoPpRecheckStress {

    private NoPpRecheckStress() {
    }

    /** The machine, the window flag, the actors and the arbiter shared by the four tests. */
    abstract static class Base {
        final Machine m;
        final Window.Reached submitted = new Window.Reached("submitBio");
        private final boolean aligned;

        Base(Variant v, boolean aligned) {
            m = new Machine(v, 2, 4, 1);
            m.zram.zramBioWrite(0);
            this.aligned = aligned;
            Step sync = label -> {
                if (label.equals("bioWait")) {
                    m.bdev.completeNextInline(0);
                }
            };
            m.kernel.setStep(aligned ? sync.andThen(submitted) : sync);
        }

        volatile boolean taskDone;

        void task() {
            m.wb.writebackStore("page_index=0");
            taskDone = true;
        }

        void overwrite() {
            if (aligned) {
                Window.spinUntil(() -> submitted.reached() || taskDone, 1_000_000);
            }
            m.zram.zramBioWrite(0);
        }

        void arbiter(II_Result r) {
            r.r1 = m.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB) ? 1 : 0;
            r.r2 = m.verdictOf(Defect.NO_PP_RECHECK);
        }
    }

    @JCStressTest
    @Description("NO_PP_RECHECK on: an overwrite during the write-back is lost.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "overwrite first, or the conversion came first and the overwrite freed the block: new data in memory")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "overwrite before the scan: the new data was written back")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "converted onto the block with the old data: the new write is lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "data lost while in memory: a model bug")
    @Outcome(expect = FORBIDDEN, desc = "anything else: another invariant broke (r2 = 2), an endio threw, or a model bug")
    @State
    public static class Defective extends Base {
        public Defective() {
            super(Variant.only(Design.SINGLE, Defect.NO_PP_RECHECK), true);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            overwrite();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed: the completion re-tests ZRAM_PP_SLOT under the slot lock.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE_INTERESTING, desc = "the overwrite landed in the window; the re-test kept the new data in memory")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "overwrite before the scan: the new data was written back")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "converted onto the block with the old data: the new write is lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "data lost while in memory: a model bug")
    @Outcome(expect = FORBIDDEN, desc = "anything else: another invariant broke (r2 = 2), an endio threw, or a model bug")
    @State
    public static class Fixed extends Base {
        public Fixed() {
            super(Variant.fixed(Design.SINGLE), true);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            overwrite();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("NO_PP_RECHECK on, no window hook: how often the bare race shows.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "new data in memory")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "overwrite before the scan: the new data was written back")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "converted onto the block with the old data: the new write is lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "data lost while in memory: a model bug")
    @Outcome(expect = FORBIDDEN, desc = "anything else: another invariant broke (r2 = 2), an endio threw, or a model bug")
    @State
    public static class DefectiveNatural extends Base {
        public DefectiveNatural() {
            super(Variant.only(Design.SINGLE, Defect.NO_PP_RECHECK), false);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            overwrite();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed, no window hook.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "new data in memory")
    @Outcome(id = "1, 0", expect = ACCEPTABLE, desc = "overwrite before the scan: the new data was written back")
    @Outcome(id = "1, 1", expect = FORBIDDEN, desc = "converted onto the block with the old data: the new write is lost")
    @Outcome(id = "0, 1", expect = FORBIDDEN, desc = "data lost while in memory: a model bug")
    @Outcome(expect = FORBIDDEN, desc = "anything else: another invariant broke (r2 = 2), an endio threw, or a model bug")
    @State
    public static class FixedNatural extends Base {
        public FixedNatural() {
            super(Variant.fixed(Design.SINGLE), false);
        }

        @Actor
        public void actor1() {
            task();
        }

        @Actor
        public void actor2() {
            overwrite();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }
}
