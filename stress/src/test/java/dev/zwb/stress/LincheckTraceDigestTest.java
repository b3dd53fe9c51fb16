package dev.zwb.stress;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The digest keeps labels once, switches and state changes, and drops Lincheck's positions. */
class LincheckTraceDigestTest {

    private static final String REPORT = String.join("\n",
            "= Concurrent test failed =",
            "",
            "The following interleaving leads to the error:",
            "| --- |",
            "| Main Thread | Thread 1 |",
            "| --- |",
            "| short | table |",
            "| --- |",
            "",
            "Detailed trace:",
            "| ------------------------------------ |",
            "| Main Thread          | Thread 1         | Thread 2         |",
            "| ------------------------------------ |",
            "| switch (reason: waiting for Thread 1 to finish) |  |  |",
            "| Thread#1.start() at Scenario.runOnce(Scenario.java:1) |  |  |",
            "|  | at(\"select\") at Batched.x(Batched.java:211) |  |",
            "|  |   kernel.at(\"select\") at Writeback.at(Writeback.java:87) |  |",
            "|  |   LAST_LABEL.set(\"select\") at Kernel.at(Kernel.java:57) |  |",
            "|  | getOpaque(): 3 at Bitops.testBit(Bitops.java:57) |  |",
            "|  | table.zramSlotLock(0) at Batched.x(Batched.java:250) |  |",
            "|  | switch |  |",
            "|  |  | bdev.completeNextInline(0): true at Machine.completeOne(Machine.java:80) |",
            "| AssertionError.<init>(\"[X]\") |  |  |",
            "| ------------------------------------ |",
            "| not | part of the table |");

    @Test
    void keepsWhatTheWalkThroughsFollow() {
        assertEquals(String.join("\n",
                "Main Thread  switch (reason: waiting for Thread 1 to finish)",
                "Thread 1     at(\"select\")",
                "Thread 1     table.zramSlotLock(0)",
                "Thread 1     switch",
                "Thread 2     bdev.completeNextInline(0): true",
                "Main Thread  AssertionError.<init>(\"[X]\")",
                ""), LincheckTraceDigest.digest(REPORT));
    }

    @Test
    void aReportWithoutADetailedTraceGivesNothing() {
        assertEquals("", LincheckTraceDigest.digest("= Concurrent test failed =\n"));
    }
}
