package dev.zwb.tlc;

import org.junit.jupiter.api.Test;

import java.util.OptionalDouble;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The children's CPU time is read from fields 16 and 17 of /proc/self/stat. */
class ChildCpuTest {

    @Test
    void readsCutimeAndCstime() {
        // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime cutime cstime ...
        String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 100 200 0 0 55 7 1234 66 20 0 30 0 12345";
        assertEquals(OptionalDouble.of(13.0), ChildCpu.parse(stat), "(1234 + 66) ticks at 100 a second");
    }

    @Test
    void aShortOrGarbledLineGivesNothing() {
        assertTrue(ChildCpu.parse("4242 (java) S 1 2 3").isEmpty());
        assertTrue(ChildCpu.parse("no parenthesis").isEmpty());
        assertTrue(ChildCpu.parse("1 (j) S 1 1 1 0 -1 0 0 0 0 0 0 0 x y 0").isEmpty());
    }
}
