package dev.zwb.cli;

import dev.zwb.Repo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** zwb validate's bad input: one line naming the bad value and what is accepted, exit 2, before any run. */
class ValidateCommandTest {

    private static synchronized Object[] validate(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            List<String> all = new ArrayList<>(List.of("--root", Repo.root().toString(), "validate"));
            all.addAll(List.of(args));
            int code = Zwb.run(all.toArray(String[]::new));
            return new Object[] {code, e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setErr(err);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--design nope|zwb: unknown design 'nope'; accepted: single, multipage, batched",
        "--design single --variant fixd|zwb: unknown variant 'fixd' of single; accepted: as-released, async-read, blk-idx-leak,",
        "--design single --runs 0|zwb: --runs must be between 1 and 10000, not 0",
        "--design single --config nowhere.cfg|zwb: --config nowhere.cfg is not a readable .cfg file",
        "--design single --variant fixed --config spec/models/single/fixed.cfg|zwb: --variant and --config exclude each other",
        "--design batched --seed x|zwb: Invalid value for option '--seed': 'x' is not a long",
    })
    void badInputIsOneLine(String args, String expected) {
        Object[] r = validate(args.split(" "));
        String out = ((String) r[1]).strip();
        assertEquals(2, r[0], out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.startsWith(expected), out);
        assertFalse(out.contains("Exception"), out);
    }
}
