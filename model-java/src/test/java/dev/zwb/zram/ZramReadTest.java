package dev.zwb.zram;

import dev.zwb.Rig;
import dev.zwb.check.Invariant;
import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import dev.zwb.writeback.Defect;
import dev.zwb.writeback.Design;
import dev.zwb.writeback.Variant;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * zram_bio_read() as the rest of the model sees it: which read path each variant runs, what a
 * read from the backing device returns when its bio fails (failed_reads, no data), and what the
 * refinement mapping reads of the latest read ({@link Zram#readerView()}).
 */
class ZramReadTest {

    @Test
    void theDefectSwitchesSelectTheReadPath() {
        for (Design design : Design.values()) {
            try (Rig fixed = new Rig(Variant.fixed(design));
                 Rig unlocked = new Rig(Variant.only(design, Defect.READ_BLKIDX_UNLOCKED));
                 Rig noRecheck = new Rig(Variant.only(design, Defect.NO_READ_RECHECK))) {
                assertEquals(ReadPath.LOCKED_HANDLE_RECHECK, fixed.zram.readPath(), design + " fixed");
                assertEquals(ReadPath.UNLOCKED_HANDLE, unlocked.zram.readPath(), design + " READ_BLKIDX_UNLOCKED");
                assertEquals(ReadPath.LOCKED_HANDLE, noRecheck.zram.readPath(), design + " NO_READ_RECHECK");
            }
        }
    }

    /** Slot 0 written back to the device, then read; the device ends the read bio with {@code status}. */
    private static Content readWrittenBackSlot(Rig rig, int status) {
        rig.write(0);
        assertEquals(0, rig.runWriteback("page_index=0"));
        assertTrue(rig.zram.table.zramTestFlag(0, ZramTable.ZRAM_WB));
        Actor<Content> reader = rig.read(0);
        rig.bdev.awaitPending(1);
        rig.bdev.completeNext(status).join();
        return reader.join();
    }

    @Test
    void aFailedDeviceReadFailsTheReadOnEveryPath() {
        for (Variant v : Set.of(Variant.fixed(Design.SINGLE), Variant.only(Design.SINGLE, Defect.NO_READ_RECHECK),
                Variant.only(Design.SINGLE, Defect.READ_BLKIDX_UNLOCKED))) {
            try (Rig rig = new Rig(v)) {
                assertNull(readWrittenBackSlot(rig, -Errno.EIO), v + ": no data from a failed bio");
                assertEquals(1, rig.zram.stats.failedReads.get(), v + ": failed_reads");
                assertEquals(1, rig.zram.stats.bdReads.get(), v + ": bd_reads");
                Zram.ReaderView view = rig.zram.readerView();
                assertTrue(view.failed(), v + ": the mapping sees the failure");
                assertNull(view.got());
                assertFalse(view.eio(), "the device failed it, not decompress_bdev_page()");
                assertTrue(rig.broken().isEmpty(), v + ": a failed read returns nothing, so Reads holds");
            }
        }
    }

    @Test
    void aGoodDeviceReadReturnsTheWrittenBackPage() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            assertEquals(new Content(0, 1), readWrittenBackSlot(rig, 0));
            assertEquals(0, rig.zram.stats.failedReads.get());
            Zram.ReaderView view = rig.zram.readerView();
            assertFalse(view.failed());
            assertEquals(new Content(0, 1), view.got());
            assertEquals(rig.zram.table.zramGetHandle(0), view.blkIdx(), "the block the read used");
            assertEquals(Set.of(new Content(0, 1)), view.seen());
        }
    }

    @Test
    void theMappingSeesOnlyWhatTheSlotHeldWhileTheReadRan() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            Zram zram = rig.zram;
            assertNull(zram.readerView(), "no read yet");
            zram.zramBioWrite(0);
            zram.zramBioWrite(0);
            zram.zramBioDiscard(1);
            assertEquals(new Content(0, 2), zram.zramBioRead(0));
            Zram.ReaderView view = zram.readerView();
            assertEquals(Set.of(new Content(0, 2)), view.seen(),
                    "version 1 was replaced before the read began, and slot 1's change is not slot 0's");
            assertEquals(new Content(0, 2), view.got());
            zram.zramBioWrite(0);
            assertEquals(Set.of(new Content(0, 2)), zram.readerView().seen(), "a write after the read is not in its window");
            zram.zramBioDiscard(0);
            assertEquals(Content.ZERO, zram.zramBioRead(0));
            assertEquals(Set.of(Content.ZERO), zram.readerView().seen());
        }
    }

    /**
     * A read that returns an older version of its own slot, one replaced before the read began,
     * breaks Reads. Batched: slot 0 version 1 is written back to block 0; slot 0 is written
     * again (version 2, the latest change of any slot) and written back with slot 1, whose bio
     * takes block 0 and fails, so block 0 still holds version 1 and slot 0 goes to block 1. A
     * read of slot 0 starts (version 2 on the device) and the slot is discarded before the read
     * loads its block index (label readHandleUnlocked, or readBio on the fixed path).
     * READ_BLKIDX_UNLOCKED loads handle 0 and returns version 1; the fixed path re-checks and
     * returns the zero page.
     */
    private static Content readAfterDiscard(Variant v, String pauseLabel, Set<Invariant> broken) {
        try (Rig rig = new Rig(v)) {
            Zram zram = rig.zram;
            rig.write(0);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(0, zram.table.zramGetHandle(0), "block 0");
            zram.zramBioWrite(1, Zram.PageKind.HUGE); // selected first: the first block
            rig.write(0);
            Actor<Integer> task = rig.writeback("page_indexes=0-1");
            rig.bdev.awaitPending(2);
            rig.bdev.completeNext(-Errno.EIO).join(); // slot 1's write to block 0
            assertEquals(-Errno.EIO, rig.finish(task));
            assertEquals(1, zram.table.zramGetHandle(0), "slot 0 version 2 on block 1");
            assertEquals(new Content(0, 1), rig.bdev.peek(0), "block 0 still holds version 1");
            StepGate.Pause pause = rig.gate.pauseAt(pauseLabel, "reader");
            Actor<Content> reader = rig.read(0);
            pause.awaitArrival();
            zram.zramBioDiscard(0);
            pause.release();
            Content got = rig.finish(reader);
            assertEquals(Set.of(new Content(0, 2), Content.ZERO), zram.readerView().seen(),
                    "the read's window: version 2 when it began, the discard before it ended");
            broken.addAll(rig.broken());
            return got;
        }
    }

    @Test
    void aReadReturningAVersionReplacedBeforeItBeganBreaksReads() {
        Set<Invariant> broken = new TreeSet<>();
        assertEquals(new Content(0, 1), readAfterDiscard(Variant.only(Design.BATCHED, Defect.READ_BLKIDX_UNLOCKED),
                "readHandleUnlocked", broken));
        assertEquals(Set.of(Invariant.Reads), broken);
        broken.clear();
        assertEquals(Content.ZERO, readAfterDiscard(Variant.fixed(Design.BATCHED), "readBio", broken));
        assertEquals(Set.of(), broken);
    }

    @Test
    void aReadNotYetUnderTheSlotLockHasSeenNothing() {
        try (Rig rig = new Rig(Variant.fixed(Design.SINGLE))) {
            StepGate.Pause lock = rig.gate.pauseAt("readLock", "reader");
            Actor<Content> reader = rig.read(0);
            lock.awaitArrival();
            Zram.ReaderView view = rig.zram.readerView();
            assertEquals(Set.of(), view.seen());
            assertNull(view.got());
            assertFalse(view.failed());
            lock.release();
            assertEquals(Content.ZERO, reader.join(), "never written: the zero page");
            assertEquals(Set.of(Content.ZERO), rig.zram.readerView().seen(), "nothing ever changed: the zero page");
            assertEquals(Content.ZERO, rig.zram.readerView().got());
        }
    }

    // ---- compressed writeback: decompress_bdev_page() --------------------------------------

    @Test
    void compressedWritebackIsOnWhereTheVariantsNeedIt() {
        try (Rig fixed = new Rig(Variant.fixed(Design.BATCHED));
             Rig wbOnly = new Rig(Variant.only(Design.BATCHED, Defect.RB_RECHECK_WB_ONLY));
             Rig drops = new Rig(Variant.only(Design.BATCHED, Defect.WB_DROPS_SIZE_PRIO))) {
            assertFalse(fixed.zram.compressedWb(), "off unless stored");
            assertTrue(wbOnly.zram.compressedWb());
            assertTrue(drops.zram.compressedWb());
            fixed.zram.compressedWritebackStore(true);
            assertTrue(fixed.zram.compressedWb());
        }
    }

    /**
     * Compressed writeback: slot 0 is written back and read; after the read's bio and before its
     * decompression, slot 0 is discarded. Mainline's ZRAM_WB-only re-check fails the read with
     * -EIO; the fix answers -EAGAIN and reads the slot again: the zero page.
     */
    private static Content discardedBeforeTheDecompression(Rig rig) {
        rig.zram.compressedWritebackStore(true);
        rig.write(0);
        assertEquals(0, rig.runWriteback("page_index=0"));
        StepGate.Pause decompress = rig.gate.pauseAt("readDecompress", "reader");
        Actor<Content> reader = rig.read(0);
        rig.bdev.awaitPending(1);
        rig.bdev.completeNext().join();
        decompress.awaitArrival();
        rig.zram.zramBioDiscard(0);
        decompress.release();
        return rig.finish(reader);
    }

    @Test
    void aWbOnlyReCheckFailsTheReadWithEio() {
        try (Rig rig = new Rig(Variant.only(Design.BATCHED, Defect.RB_RECHECK_WB_ONLY))) {
            assertNull(discardedBeforeTheDecompression(rig));
            assertEquals(1, rig.zram.stats.failedReads.get());
            assertTrue(rig.zram.readerView().eio(), "decompress_bdev_page() failed it");
            assertTrue(rig.zram.readerView().failed());
            assertEquals(Set.of(Invariant.ReadsSucceed), rig.broken());
        }
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            assertEquals(Content.ZERO, discardedBeforeTheDecompression(rig), "-EAGAIN: read again, the slot is free now");
            assertEquals(0, rig.zram.stats.failedReads.get());
            assertFalse(rig.zram.readerView().eio());
            assertEquals(1, rig.zram.stats.bdReads.get(), "one device read, then the zero page from memory");
            assertEquals(Set.of(), rig.broken());
        }
    }

    @Test
    void aHugePageIsWrittenBackAndReadRaw() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED))) {
            rig.zram.compressedWritebackStore(true);
            rig.zram.zramBioWrite(0, Zram.PageKind.HUGE);
            assertEquals(0, rig.runWriteback("page_index=0"));
            assertEquals(new Content(0, 1), rig.finish(rig.read(0)));
            assertEquals(Set.of(), rig.broken());
        }
    }
}
