package dev.zwb.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The CPU time (user + system) of this JVM's finished child processes, from
 * the cutime and cstime fields of Linux's /proc/self/stat: a child's time is
 * added there once it has been waited for, so the difference across one TLC
 * run, with nothing else started meanwhile, is that run's CPU time. Empty
 * where there is no /proc (the numbers are then left out, not guessed).
 */
public final class ChildCpu {

    /** Linux reports these fields in USER_HZ ticks, 100 a second on every architecture zwb runs on. */
    static final double TICKS_PER_SECOND = 100.0;
    private static final Path STAT = Path.of("/proc/self/stat");

    private ChildCpu() {
    }

    /** Seconds of CPU used so far by the children of this JVM that have ended. */
    public static OptionalDouble seconds() {
        try {
            return parse(Files.readString(STAT));
        } catch (IOException | RuntimeException e) {
            return OptionalDouble.empty();
        }
    }

    /** cutime + cstime of a /proc/PID/stat line (fields 16 and 17; the command name may hold spaces). */
    static OptionalDouble parse(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            return OptionalDouble.empty();
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        if (f.length < 15) {
            return OptionalDouble.empty();
        }
        try {
            return OptionalDouble.of((Long.parseLong(f[13]) + Long.parseLong(f[14])) / TICKS_PER_SECOND);
        } catch (NumberFormatException e) {
            return OptionalDouble.empty();
        }
    }
}
