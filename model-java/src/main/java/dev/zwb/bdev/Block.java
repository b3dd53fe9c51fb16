package dev.zwb.bdev;

import dev.zwb.kernel.BlkPlug;
import dev.zwb.kernel.Completion;
import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;

/** The two block-layer entry points zram uses (block/blk-core.c, block/bio.c). */
public final class Block {

    private Block() {
    }

    /** submit_bio(): into the task's plug if it has one, else to the device. */
    public static void submitBio(BackingDevice bdev, Bio bio) {
        bio.setInFlight(true);
        if (!BlkPlug.blkAddToPlug(() -> bdev.submit(bio))) {
            bdev.submit(bio);
        }
    }

    /**
     * submit_bio_wait(): submits with an on-stack completion as bi_private and
     * submit_bio_wait_endio() as bi_end_io, then waits for it (blk_wait_io()). Returns the bio's
     * status as an errno. If {@code endioLabel} is not null, the completion callback passes that
     * spec label before it completes.
     */
    public static int submitBioWait(BackingDevice bdev, Bio bio, Kernel kernel, String endioLabel) {
        KObject frame = new KObject(kernel, "submit_bio_wait stack frame");
        Completion done = new Completion(frame);
        bio.setPrivate(done);
        bio.setEndIo(b -> {
            if (endioLabel != null) {
                kernel.at(endioLabel);
            }
            ((Completion) b.privateData()).complete();
        });
        submitBio(bdev, bio);
        done.waitForCompletionIo();
        frame.leaveFrame();
        return bio.status();
    }
}
