package dev.zwb.check;

import dev.zwb.Repo;
import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ModelEntry;
import dev.zwb.tlc.TlcRunner;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.io.OutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * TLC workers: a model expected to pass gets the checker's workers and keeps its
 * manifest state count with them; a failing model and a simulation keep one.
 */
class WorkersTest {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    private static ModelEntry model(Manifest m, String id) {
        return m.models().stream().filter(e -> e.model().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void onlyModelsExpectedToPassGetMoreWorkers() throws Exception {
        Manifest m = Repo.manifest();
        Checker two = new Checker(m.specDir(), Repo.runner("tlc-workers"), 1, QUIET).withWorkers(2);
        assertEquals(2, two.workersFor(model(m, "single/fixed")));
        assertEquals(2, two.job(model(m, "single/fixed")).workers());
        assertEquals(2, two.workersFor(model(m, "single/fixed").adHoc("ad hoc")), "an ad hoc run has no verdict to keep");
        assertEquals(1, two.workersFor(model(m, "single/blk-idx-leak")), "a counterexample stays a shortest one");
        assertEquals(1, two.job(model(m, "single/blk-idx-leak")).workers());
        assertEquals(1, two.workersFor(model(m, "batched/simulate-pool32")), "a seeded simulation repeats");
        Checker one = new Checker(m.specDir(), Repo.runner("tlc-workers"), 1, QUIET);
        assertEquals(1, one.workersFor(model(m, "single/fixed")), "one worker unless asked");
    }

    @Test
    void aPassingModelHasTheManifestsStateCountWithTwoWorkers() throws Exception {
        Manifest m = Repo.manifest();
        ModelEntry e = model(m, "batched/fixed-huge-idle");
        TlcRunner runner = Repo.runner("tlc-workers");
        Verdict v = new Checker(m.specDir(), runner, 1, QUIET).withWorkers(2).check(e);
        assertEquals(Verdict.Status.OK, v.status(), v.notes().toString());
        assertEquals(e.expected().distinctStates(), v.result().distinctStates());
    }
}
