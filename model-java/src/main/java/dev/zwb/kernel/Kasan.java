package dev.zwb.kernel;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The report log of one modelled kernel: what KASAN, lockdep, DEBUG_LIST, WARN_ON and the hung-task
 * detector would print. Reports are recorded, never thrown, so that a use-after-free in a bio
 * completion is seen by the test rather than lost in a device thread.
 *
 * <p>Each report names the object, the access, the thread, and the last spec label that thread
 * passed (see {@link Kernel#at}), which plays the part of KASAN's stack trace.
 */
public final class Kasan {

    /** What kind of report. */
    public enum Kind {
        /** An access to an object after kfree() or after its stack frame ended. */
        USE_AFTER_FREE,
        /** kfree() of an object already freed. */
        DOUBLE_FREE,
        /** A dereference of a NULL pointer (the model only checks pp-slot pointers). */
        NULL_DEREF,
        /** list_del() of a poisoned entry (CONFIG_DEBUG_LIST). */
        LIST_CORRUPTION,
        /** A WARN_ON() that fired. */
        WARNING,
        /** A task slept longer than the hung-task timeout, or woke only by that timeout. */
        HUNG_TASK,
        /** A spin lock taken twice by the same thread. */
        LOCKDEP
    }

    /** One report. {@code label} is the last spec label the reporting thread passed. */
    public record Report(Kind kind, String object, String access, String thread, String label,
                         String detail) {
        @Override
        public String toString() {
            return kind + " " + object + " (" + access + ") by " + thread + " at " + label
                    + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    /** Records a report made by the current thread. */
    public void report(Kind kind, String object, String access, String detail) {
        reports.add(new Report(kind, object, access, Thread.currentThread().getName(),
                Kernel.lastLabel(), detail));
    }

    /** WARN_ON(): records a warning and goes on, as the kernel does. */
    public void warn(String what, String detail) {
        report(Kind.WARNING, what, "WARN_ON", detail);
    }

    /** Every report so far, oldest first. */
    public List<Report> reports() {
        return List.copyOf(reports);
    }

    /** The reports of one kind. */
    public List<Report> reports(Kind kind) {
        return reports.stream().filter(r -> r.kind() == kind).toList();
    }

    public void clear() {
        reports.clear();
    }
}
