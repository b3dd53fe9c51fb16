package dev.zwb.tlc;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Two runs of one model started together have their own scratch files and both come out right;
 * a job's worker count reaches TLC's command line and the run cache's key.
 */
class TlcRunnerTest {

    @Test
    void twoRunsStartedTogetherBothSucceed() throws Exception {
        Path spec = Repo.spec();
        TlcRunner.Job job = TlcRunner.Job.exhaustive("single/blk-idx-leak", spec, "ZramSingle",
                spec.resolve("models/single/blk-idx-leak.cfg"));
        Path work = Path.of("target", "tlc-together").toAbsolutePath();
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            Future<TlcResult> a = two.submit(() -> Repo.runnerIn(work).run(job));
            Future<TlcResult> b = two.submit(() -> Repo.runnerIn(work).run(job));
            for (Future<TlcResult> f : java.util.List.of(a, b)) {
                TlcResult r = f.get();
                assertEquals(TlcOutcome.INVARIANT, r.outcome(), r.errorLine());
                assertEquals("BlockNoLeak", r.violated());
                assertEquals(12, r.traceLength());
            }
            assertNotNull(Repo.runnerIn(work).cached(job), "the run is kept for zwb trace");
        } finally {
            two.shutdownNow();
        }
    }

    @Test
    void workersReachTheCommandAndTheCacheKey() {
        Path spec = Repo.spec();
        TlcRunner.Job one = TlcRunner.Job.exhaustive("single/fixed", spec, "ZramSingle",
                spec.resolve("models/single/fixed.cfg"));
        TlcRunner.Job two = one.withWorkers(2);
        Path scratch = Path.of("target", "tlc-workers-cmd").toAbsolutePath();
        // a JVM without an AOT cache: building the command of a JDK 25 runner would claim
        // the one training run of this JVM, and no run would follow to release it
        TlcRunner runner = new TlcRunner(scratch, java.time.Duration.ofMinutes(1), "1g",
                new TlcJava(TlcJava.current().binary(), 17));
        java.util.List<String> c1 = runner.command(one, scratch);
        java.util.List<String> c2 = runner.command(two, scratch);
        assertEquals("1", c1.get(c1.indexOf("-workers") + 1));
        assertEquals("2", c2.get(c2.indexOf("-workers") + 1));
        assertEquals("bfs", one.mode(), "one worker keeps the key runs were kept under before");
        assertEquals("bfs workers=2", two.mode());
        IllegalArgumentException none = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> one.withWorkers(0));
        assertEquals("workers must be at least 1, not 0", none.getMessage());
    }
}
