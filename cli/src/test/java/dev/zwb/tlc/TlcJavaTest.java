package dev.zwb.tlc;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which JVM runs TLC, and its AOT cache. */
class TlcJavaTest {

    @TempDir
    Path tmp;

    private Path jdk(String name, String version) throws IOException {
        Path bin = tmp.resolve(name).resolve("bin");
        Files.createDirectories(bin);
        Path java = bin.resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(tmp.resolve(name).resolve("release"), "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"" + version + "\"\n");
        return java;
    }

    @Test
    void theNewestInstalledJdkByItsReleaseFile() throws IOException {
        jdk("jdk-17", "17.0.15");
        Path j25 = jdk("jdk-25", "25.0.3");
        jdk("jdk-21", "21.0.2");
        Files.createDirectories(tmp.resolve("not-a-jdk"));
        Optional<TlcJava> newest = TlcJava.newestInstalled(tmp);
        assertEquals(25, newest.orElseThrow().major());
        assertEquals(j25, newest.get().binary());
        assertTrue(newest.get().aot());
        assertEquals(Optional.of(8), TlcJava.majorOf(jdk("jdk-8", "1.8.0_392")));
        assertEquals(Optional.empty(), TlcJava.majorOf(tmp.resolve("nowhere/bin/java")));
        assertFalse(new TlcJava(j25, 17).aot(), "JDK 17 has no AOT cache: it is the fallback");
    }

    /**
     * On a JDK of 25 or later the first run trains the AOT cache and later runs read it, with the
     * same verdict; on an older one there is no cache and the JVM is zwb's own.
     */
    @Test
    void theFirstRunTrainsTheCacheAndTheNextReadsIt() throws Exception {
        TlcJava chosen = TlcJava.choose();
        Path spec = Repo.spec();
        TlcRunner runner = new TlcRunner(tmp.resolve("work"), Duration.ofMinutes(10), "1g", chosen);
        TlcRunner.Job job = TlcRunner.Job.exhaustive("batched/pps-not-owned", spec, "ZramBatched",
                spec.resolve("models/batched/pps-not-owned.cfg"));
        TlcResult first = runner.run(job);
        assertEquals("NoPpsSharedByTwoRequests", first.violated());
        if (!chosen.aot()) {
            assertEquals(TlcJava.current(), chosen);
            assertFalse(Files.exists(runner.aotCache()));
            return;
        }
        assertTrue(Files.isRegularFile(runner.aotCache()), "the first run on JDK " + chosen.major() + " trains the cache");
        TlcResult second = runner.run(job);
        assertEquals(first.violated(), second.violated());
        assertEquals(first.traceLength(), second.traceLength());
        assertEquals(first.distinctStates(), second.distinctStates());
    }
}
