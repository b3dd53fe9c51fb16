package dev.zwb.kernel;

import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BlkPlugTest {

    private final Kernel kernel = new Kernel();

    @Test
    void plugHoldsSubmissionsUntilFinish() {
        AtomicInteger sent = new AtomicInteger();
        BlkPlug plug = new BlkPlug();
        BlkPlug.blkStartPlug(plug);
        BlkPlug.blkAddToPlug(sent::incrementAndGet);
        BlkPlug.blkAddToPlug(sent::incrementAndGet);
        assertEquals(0, sent.get());
        assertEquals(2, plug.held());
        BlkPlug.blkFinishPlug(plug);
        assertEquals(2, sent.get());
        assertFalse(BlkPlug.blkAddToPlug(sent::incrementAndGet), "unplugged: dispatch at once");
    }

    @Test
    void aPluggedTaskFlushesBeforeItSleeps() {
        CountDownLatch sent = new CountDownLatch(1);
        Completion done = new Completion(kernel.forever("frame"));
        BlkPlug plug = new BlkPlug();
        BlkPlug.blkStartPlug(plug);
        BlkPlug.blkAddToPlug(sent::countDown);
        // The "device" completes only what it was sent: if the sleep did not flush the plug,
        // this would never complete and the wait below would hang.
        Actor<Void> device = Actor.run("device", () -> {
            try {
                sent.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done.complete();
        });
        done.waitForCompletion();
        device.join();
        assertEquals(0, plug.held());
        BlkPlug.blkFinishPlug(plug);
    }
}
