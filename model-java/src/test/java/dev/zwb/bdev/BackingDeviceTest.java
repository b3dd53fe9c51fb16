package dev.zwb.bdev;

import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.Page;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackingDeviceTest {

    private final Kernel kernel = new Kernel();
    private final List<String> ended = new CopyOnWriteArrayList<>();

    private Bio write(long blk, Content data) {
        Page page = new Page();
        page.setData(data);
        Bio bio = new Bio(new KObject(kernel, "bio"));
        bio.bioInit(Bio.Op.WRITE);
        bio.setBlock(blk);
        bio.bioAddPage(page);
        bio.setEndIo(b -> ended.add(Thread.currentThread().getName() + ":" + b.block() + ":" + b.status()));
        return bio;
    }

    @Test
    void heldBiosCompleteOneAtATimeInOrder() {
        try (BackingDevice dev = BackingDevice.held(4)) {
            Block.submitBio(dev, write(1, new Content(0, 1)));
            Block.submitBio(dev, write(2, new Content(1, 1)));
            dev.awaitPending(2);
            assertEquals(Content.JUNK, dev.peek(1), "nothing is written before completion");
            assertEquals(2, dev.inFlight());
            dev.completeNext().join();
            assertEquals(new Content(0, 1), dev.peek(1));
            assertEquals(1, ended.size());
            assertTrue(ended.get(0).startsWith("irq-"), "end_io runs on an IRQ thread");
            dev.completeNext(-Errno.EIO).join();
            assertEquals(Content.JUNK, dev.peek(2), "a failed write transfers nothing");
            assertTrue(ended.get(1).endsWith(":2:-5"));
            assertEquals(0, dev.inFlight());
        }
    }

    @Test
    void aBlockBeyondTheDeviceFails() {
        try (BackingDevice dev = BackingDevice.held(4)) {
            Bio bio = write(4, new Content(0, 1));
            Block.submitBio(dev, bio);
            dev.completeNext().join();
            assertEquals(-Errno.EIO, bio.status());
        }
    }

    @Test
    void submitBioWaitReadsBack() {
        try (BackingDevice dev = BackingDevice.held(4)) {
            Actor<Integer> w = Actor.start("writer", () ->
                    Block.submitBioWait(dev, write(3, new Content(2, 7)), kernel, null));
            dev.awaitPending(1);
            dev.completeNext().join();
            assertEquals(0, w.join());
            Page page = new Page();
            Bio read = new Bio(new KObject(kernel, "read bio"));
            read.bioInit(Bio.Op.READ);
            read.setBlock(3);
            read.bioAddPage(page);
            dev.autoComplete();
            assertEquals(0, Block.submitBioWait(dev, read, kernel, null));
            assertEquals(new Content(2, 7), page.data());
        }
    }

    @Test
    void asyncDeviceCompletesOnItsOwnWithLatencyAndErrors() {
        BackingDevice.AsyncConfig cfg = new BackingDevice.AsyncConfig(2, Duration.ZERO,
                Duration.ofMillis(2), 0.5, 42, 2);
        try (BackingDevice dev = BackingDevice.async(16, cfg)) {
            int failed = 0;
            for (int i = 0; i < 16; i++) {
                if (Block.submitBioWait(dev, write(i, new Content(i, 1)), kernel, null) != 0) {
                    failed++;
                }
            }
            assertEquals(0, dev.inFlight());
            assertNotEquals(0, failed, "error injection at 50% failed some");
            assertNotEquals(16, failed, "and let some through");
        }
    }
}
