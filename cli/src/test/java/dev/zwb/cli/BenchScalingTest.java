package dev.zwb.cli;

import dev.zwb.tlc.TlcJava;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scaling table of zwb bench --scaling: per worker count, wall, CPU, rates and speed-up. */
class BenchScalingTest {

    private static final TlcJava JAVA25 = new TlcJava(Path.of("/jdk/bin/java"), 25);

    @Test
    void tableHasARowPerWorkerCount() {
        String out = BenchCommand.scalingReport("batched/large", 1_000_000, JAVA25, List.of(
                new BenchCommand.ScalingRun(1, 1_000_000, 100.0, 104.0),
                new BenchCommand.ScalingRun(2, 1_000_000, 62.5, 120.0)), 1.5, 2.25);
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("batched/large alone, TLC on Java 25 with an AOT cache, "), lines.get(0));
        assertTrue(lines.get(0).endsWith("load average 1.50 before, 2.25 after"), lines.get(0));
        assertEquals(List.of("WORKERS", "DISTINCT", "WALL", "CPU", "STATES/S", "STATES/CPU-S", "SPEEDUP"),
                List.of(lines.get(1).trim().split("\\s{2,}")));
        assertEquals(List.of("1", "1,000,000", "100.0 s", "104.0 s", "10,000", "9,615", "1.00"),
                List.of(lines.get(2).trim().split("\\s{2,}")));
        assertEquals(List.of("2", "1,000,000", "62.5 s", "120.0 s", "16,000", "8,333", "1.60"),
                List.of(lines.get(3).trim().split("\\s{2,}")));
        assertEquals("distinct states: the manifest's 1,000,000 at every worker count", lines.get(4));
    }

    @Test
    void aDifferentStateCountIsNamedAndAMissingCpuTimeLeftBlank() {
        String out = BenchCommand.scalingReport("single/fixed", 276_558, new TlcJava(Path.of("/jdk/bin/java"), 17),
                List.of(new BenchCommand.ScalingRun(1, 276_558, 10.0, -1),
                        new BenchCommand.ScalingRun(2, 276_559, 8.0, -1)), 0.5, 0.5);
        assertTrue(out.startsWith("single/fixed alone, TLC on Java 17, "), out);
        assertTrue(out.contains("distinct states differ from the manifest's 276,558 at workers [2]"), out);
        assertEquals(List.of("1", "276,558", "10.0 s", "27,656", "1.00"),
                List.of(out.lines().toList().get(2).trim().split("\\s{2,}")), "no CPU columns without /proc");
    }
}
