package dev.zwb.cli;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** zwb replay's bad input: one line naming the bad value and what is accepted, exit 2. */
class ReplayCommandTest {

    /** Runs zwb on the repository; returns {exit code, stderr}. */
    private static synchronized Object[] replay(String model) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Zwb.run("--root", Repo.root().toString(), "replay", model);
            return new Object[] {code, e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @Test
    void aPassingModelHasNothingToReplay() {
        Object[] r = replay("single/fixed");
        assertEquals(2, r[0], (String) r[1]);
        String err = ((String) r[1]).strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("zwb: single/fixed has no counterexample"), err);
        assertFalse(err.contains("Exception"), err);
    }

    @Test
    void anUnknownModelNamesTheChoice() {
        Object[] r = replay("single/fixd");
        assertEquals(2, r[0], (String) r[1]);
        assertTrue(((String) r[1]).contains("unknown model 'single/fixd'"), (String) r[1]);
    }
}
