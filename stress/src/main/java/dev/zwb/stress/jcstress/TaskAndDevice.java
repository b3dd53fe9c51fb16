package dev.zwb.stress.jcstress;

import dev.zwb.stress.Machine;

/**
 * The two actors of the endio races (WB_CTL_UAF, REQ_POOL_UAF, COMPLETION_REINIT): actor 1 is
 * the writeback task, actor 2 the device, which completes the task's bios on its own CPU, as an
 * interrupt would. Each test's state extends this and adds its holds and its arbiter.
 */
abstract class TaskAndDevice {

    final Machine m;
    volatile boolean taskDone;
    /** writeback_store()'s return value, once the task has returned. */
    volatile int ret = Integer.MIN_VALUE;
    private final String args;

    /** {@code args}: what is written to /sys/block/zram0/writeback. */
    TaskAndDevice(Machine m, String args) {
        this.m = m;
        this.args = args;
    }

    /** Actor 1: writeback_store(). */
    void task() {
        ret = m.wb.writebackStore(args);
        taskDone = true;
    }

    /**
     * Waits until the device holds a bio (or the task has returned without one, 1 s at most)
     * and completes the oldest on this thread: transfer, status 0, end_io.
     */
    void completeNextBio() {
        Window.spinUntil(() -> m.bdev.pendingCount() > 0 || taskDone, Window.START_NANOS);
        m.bdev.completeNextInline(0);
    }
}
