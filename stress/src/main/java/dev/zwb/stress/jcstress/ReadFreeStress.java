package dev.zwb.stress.jcstress;

import dev.zwb.kernel.Content;
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
 * READ_BLKIDX_UNLOCKED, single-page design: a read of a written-back slot against its free.
 *
 * <p>Setup: slot 0 is written and written back (block 1). Actor 1 reads slot 0; its read bio is
 * completed by the device on an IRQ thread. Actor 2 discards slot 0. Before patch 6/6 the reader
 * tests ZRAM_WB under the slot lock but loads the block index after unlocking: a free in between
 * sets it to 0, and the reader reads block 0, which slot 0 never held. The arbiter reports r1 = 1
 * if Reads is broken, else 2 if any other invariant is (or an endio threw), else 0, r2 = what the read returned: 0 the zero page (freed), 1 slot 0's data, 2
 * anything else (block 0's junk), 3 a failed read.
 *
 * <p>{@code Defective} / {@code Fixed}: actor 2 starts once the reader has passed
 * {@code readLock}, and the reader is held (1 ms at most, or until the discard is done) at the
 * first label after its unlock ({@code readHandleUnlocked} before 6/6, {@code readBio} after):
 * a preemption right after the unlock. {@code ...Natural}: no hooks.
 *
 * <p>Observed on this machine (2 CPUs, JDK 17.0.15, {@code -m sanity -c 2 -f 1}, 20 runs, 2026-11-25):
 * Defective saw the FORBIDDEN {@code 1, 2} in 20 of 20 runs (1173 of 2241 samples);
 * DefectiveNatural in 10 of 20 runs (15 of 2246 samples), so it stays in the long profile;
 * Fixed and FixedNatural never (0 of 20 runs each; 0 of 50 with the fixed-only runs).
 */
public final class ReadFreeStress {

    private ReadFreeStress() {
    }

    abstract static class Base {
        final Machine m;
        volatile boolean readerLocked;
        volatile boolean discardDone;
        volatile Content got;

        Base(Variant v, boolean aligned) {
            m = new Machine(v, 2, 4, 1);
            m.kernel.setStep(label -> {
                while (m.bdev.completeNextInline(0)) {
                    // a synchronous device for the setup
                }
            });
            m.zram.zramBioWrite(0);
            m.wb.writebackStore("page_index=0");
            m.bdev.autoComplete();
            if (aligned) {
                m.kernel.setStep(label -> {
                    if (label.equals("readLock")) {
                        readerLocked = true;
                    } else if (label.equals("readHandleUnlocked") || label.equals("readBio")) {
                        Window.spinUntil(() -> discardDone, Window.HOLD_NANOS);
                    }
                });
            } else {
                m.kernel.setStep(dev.zwb.kernel.Step.NONE);
            }
            this.aligned = aligned;
        }

        private final boolean aligned;

        void read() {
            got = m.zram.zramBioRead(0);
        }

        void discard() {
            if (aligned) {
                Window.spinUntil(() -> readerLocked, 1_000_000);
            }
            m.zram.zramBioDiscard(0);
            discardDone = true;
        }

        void arbiter(II_Result r) {
            r.r1 = m.verdictOf(Defect.READ_BLKIDX_UNLOCKED);
            Content c = got;
            r.r2 = c == null ? 3 : c.equals(Content.ZERO) ? 0 : c.equals(new Content(0, 1)) ? 1 : 2;
        }
    }

    @JCStressTest
    @Description("READ_BLKIDX_UNLOCKED on: the block index is loaded after the unlock.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the free came first: the zero page")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the read came first: slot 0's data")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "freed between the unlock and the load: read block 0, data slot 0 never held")
    @Outcome(expect = FORBIDDEN, desc = "anything else: a model bug")
    @State
    public static class Defective extends Base {
        public Defective() {
            super(Variant.only(Design.SINGLE, Defect.READ_BLKIDX_UNLOCKED), true);
        }

        @Actor
        public void actor1() {
            read();
        }

        @Actor
        public void actor2() {
            discard();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed: the block index is loaded under the slot lock, re-checked after the read.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the free came first, or the re-check saw it: the zero page")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the read came first: slot 0's data")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "read data slot 0 never held")
    @Outcome(expect = FORBIDDEN, desc = "anything else: a model bug")
    @State
    public static class Fixed extends Base {
        public Fixed() {
            super(Variant.fixed(Design.SINGLE), true);
        }

        @Actor
        public void actor1() {
            read();
        }

        @Actor
        public void actor2() {
            discard();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("READ_BLKIDX_UNLOCKED on, no hooks: the bare race.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the free came first: the zero page")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "the read came first: slot 0's data")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "read block 0, data slot 0 never held")
    @Outcome(expect = FORBIDDEN, desc = "anything else: a model bug")
    @State
    public static class DefectiveNatural extends Base {
        public DefectiveNatural() {
            super(Variant.only(Design.SINGLE, Defect.READ_BLKIDX_UNLOCKED), false);
        }

        @Actor
        public void actor1() {
            read();
        }

        @Actor
        public void actor2() {
            discard();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }

    @JCStressTest
    @Description("Fixed, no hooks.")
    @Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "the zero page")
    @Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "slot 0's data")
    @Outcome(id = "1, 2", expect = FORBIDDEN, desc = "read data slot 0 never held")
    @Outcome(expect = FORBIDDEN, desc = "anything else: a model bug")
    @State
    public static class FixedNatural extends Base {
        public FixedNatural() {
            super(Variant.fixed(Design.SINGLE), false);
        }

        @Actor
        public void actor1() {
            read();
        }

        @Actor
        public void actor2() {
            discard();
        }

        @Arbiter
        public void arbiter(II_Result r) {
            super.arbiter(r);
        }
    }
}
