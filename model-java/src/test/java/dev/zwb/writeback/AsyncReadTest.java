package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.kernel.Content;
import dev.zwb.sched.Actor;
import dev.zwb.zram.AsyncRead;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The asynchronous read of a ZRAM_WB slot (read_from_bdev_async(), ZramCommon's AsyncRead) on
 * every design, both kernel flavours, and READ_UNCHAINED in both directions: zram_bio_read()
 * returns (zram_accessed() done) with the child bio still in the device; the parent completes
 * only when the child has ended, unless the switch leaves the chaining out.
 */
class AsyncReadTest {

    /**
     * Slot 0 is written back; a reader of slot 0 runs to its return while the device holds its
     * child; then the device ends the child. Returns the invariants broken at the end.
     */
    private static Set<Invariant> readerReturnsBeforeTheDevice(Variant variant, AsyncRead mode) {
        try (Rig rig = new Rig(variant)) {
            rig.zram.setAsyncRead(mode);
            long v = rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            Actor<Content> reader = rig.read(0);
            assertEquals(Content.JUNK, reader.join(), "zram_bio_read() returns before the device read lands");
            assertEquals(1, rig.bdev.pendingCount(), "the child bio is still in the device");
            rig.bdev.completeNext().join();
            assertEquals(new Content(0, v), rig.zram.readerView().got(), "the child's data is in the page");
            return rig.broken();
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void theParentWaitsForItsChild(Design design) {
        for (AsyncRead mode : new AsyncRead[] {AsyncRead.CHAINED, AsyncRead.RB_REQ}) {
            assertEquals(Set.of(Invariant.Reads),
                    readerReturnsBeforeTheDevice(Variant.only(design, Defect.READ_UNCHAINED), mode),
                    mode + ": unchained, the parent completed with the page not read into yet");
            assertEquals(Set.of(), readerReturnsBeforeTheDevice(Variant.fixed(design), mode), mode + ": chained");
        }
    }

    @ParameterizedTest
    @EnumSource(Design.class)
    void aFailedRbReqAllocationFailsTheRead(Design design) {
        try (Rig rig = new Rig(Variant.fixed(design))) {
            rig.zram.setAsyncRead(AsyncRead.RB_REQ);
            rig.zram.setReadAllocFails(true);
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertNull(rig.read(0).join(), "-ENOMEM: the read fails");
            assertEquals(0, rig.bdev.pendingCount(), "no child was submitted");
            assertEquals(Set.of(), rig.broken(), "a failed read returns no page: Reads holds");
        }
    }
}
