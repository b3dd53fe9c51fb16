package dev.zwb.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * struct blk_plug: while a task has a plug, the bios it submits are held in the plug instead of
 * going to the device; blk_finish_plug() sends them, and so does schedule() when the task goes
 * to sleep (sched_submit_work() flushes current-&gt;plug), so a plugged task never sleeps on I/O it
 * has not yet sent.
 *
 * <p>Implementation notes. The current plug is thread-local (current-&gt;plug). The list is only
 * touched by its own task. A plug is per task, so it holds "dispatch" actions rather than bios,
 * which keeps this package below the block layer. Nested plugs are ignored, as in the kernel.
 */
public final class BlkPlug {

    private static final ThreadLocal<BlkPlug> CURRENT = new ThreadLocal<>();

    /** The held submissions, oldest first. Only the owning task touches it. */
    private final List<Runnable> held = new ArrayList<>();

    /** blk_start_plug(): the current task plugs, unless it already has a plug. */
    public static void blkStartPlug(BlkPlug plug) {
        if (CURRENT.get() == null) {
            CURRENT.set(plug);
        }
    }

    /** blk_finish_plug(): sends what the plug holds and unplugs the task. */
    public static void blkFinishPlug(BlkPlug plug) {
        if (CURRENT.get() == plug) {
            plug.flush();
            CURRENT.remove();
        }
    }

    /**
     * Called by submit_bio(): if the current task is plugged, holds {@code dispatch} and returns
     * true; otherwise returns false and the caller dispatches at once.
     */
    public static boolean blkAddToPlug(Runnable dispatch) {
        BlkPlug plug = CURRENT.get();
        if (plug == null) {
            return false;
        }
        plug.held.add(dispatch);
        return true;
    }

    /** sched_submit_work(): the task is about to sleep; send what its plug holds. */
    public static void schedSubmitWork() {
        BlkPlug plug = CURRENT.get();
        if (plug != null) {
            plug.flush();
        }
    }

    /** How many submissions the plug holds. */
    public int held() {
        return held.size();
    }

    private void flush() {
        List<Runnable> batch = new ArrayList<>(held);
        held.clear();
        batch.forEach(Runnable::run);
    }
}
