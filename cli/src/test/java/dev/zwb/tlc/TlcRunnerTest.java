package dev.zwb.tlc;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Two runs of one model started together have their own scratch files and both come out right. */
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
}
