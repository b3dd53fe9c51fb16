package dev.zwb.check;

import dev.zwb.sched.Actor;
import dev.zwb.zram.Zram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * WritebackReturns, checked with a timeout: the spec's liveness property ("with fair bio
 * completion, writeback always returns, and every bio submitted is completed and accounted")
 * becomes "the writeback task returns within the timeout, and the device then holds no bio".
 * The device must be completing bios (held mode: the test completes them; async mode: it does).
 */
public final class Liveness {

    private Liveness() {
    }

    /** WritebackReturns of the writeback running in {@code task}. */
    public static List<Violation> writebackReturns(Actor<?> task, Duration timeout, Zram zram) {
        List<Violation> out = new ArrayList<>();
        if (!task.returnedWithin(timeout)) {
            out.add(new Violation(Invariant.WritebackReturns,
                    task.name() + " did not return within " + timeout));
            return out;
        }
        if (task.failure() != null) {
            out.add(new Violation(Invariant.WritebackReturns,
                    task.name() + " died: " + task.failure()));
        }
        long inFlight = zram.bdev.inFlight();
        if (inFlight != 0) {
            out.add(new Violation(Invariant.WritebackReturns,
                    "writeback returned with " + inFlight + " bio(s) still in the device"));
        }
        return out;
    }
}
