package dev.zwb.writeback;

import dev.zwb.Rig;
import dev.zwb.bdev.Bio;
import dev.zwb.kernel.Errno;
import dev.zwb.sched.Actor;
import dev.zwb.sched.StepGate;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the refinement mapping reads at every label the writeback task passes, in runs where the
 * device completes one bio at a time and only while the task sleeps, so that each value is fixed
 * when the task reads it: a request's ghost life (idle, selected, inflight, done, freed), the
 * lists, where the reaping returns to and the error it carries (batched); the requests'
 * ALLOCATED bit, block ownership and limit epoch, the request held, the iteration of
 * zram_writeback_next_request(), the drain's request, cnt_off and the bios the device holds
 * (multipage). The task reads the views itself, at the label, before the step. Four slots, eight
 * blocks.
 */
class MappingTraceTest {

    /**
     * Records "label view" at each label the writeback task passes, but rcuGp: whether the task
     * passes the grace period of kfree_rcu() itself depends on whether the last endio has left
     * its RCU read section yet (it runs on after its wake-up), which no view here reads.
     */
    private static List<String> probe(Rig rig, Supplier<String> view) {
        List<String> out = new CopyOnWriteArrayList<>();
        rig.kernel.setStep(rig.log.andThen(rig.gate).andThen(label -> {
            if (Thread.currentThread().getName().startsWith("wb-task") && !label.equals("rcuGp")) {
                out.add(label + " " + view.get());
            }
        }));
        return out;
    }

    /**
     * Runs writeback({@code args}) to its end: whenever the task sleeps the device ends the
     * oldest bio, with EIO if its number (0-based, in completion order) is in {@code failing}.
     */
    private static int run(Rig rig, String args, int... failing) {
        Actor<Integer> task = rig.writeback(args);
        for (int n = 0;; n++) {
            rig.settle(task);
            if (task.returnedWithin(Duration.ZERO)) {
                return task.join();
            }
            rig.bdev.awaitPending(1);
            int bio = n;
            rig.bdev.completeNext(Arrays.stream(failing).anyMatch(f -> f == bio) ? -Errno.EIO : 0).join();
        }
    }

    private static List<String> lines(String block) {
        return block.strip().lines().map(String::strip).toList();
    }

    /**
     * Batched, one request, two slots: the request is selected and submitted for the first
     * pp-slot; the second finds no idle request and the task waits.
     */
    private static final String UNTIL_THE_FIRST_WAIT = """
                initWbCtl [] idle=[] done=[] ret=selectIdleReq err=0
                scan [idle] idle=[0] done=[] ret=selectIdleReq err=0
                scan [idle] idle=[0] done=[] ret=selectIdleReq err=0
                select [idle] idle=[0] done=[] ret=selectIdleReq err=0
                limitCheck [idle] idle=[0] done=[] ret=selectIdleReq err=0
                selectIdleReq [idle] idle=[0] done=[] ret=selectIdleReq err=0
                reserveBlock [selected] idle=[] done=[] ret=selectIdleReq err=0
                readSlot [selected] idle=[] done=[] ret=selectIdleReq err=0
                submitWbRequest [selected] idle=[] done=[] ret=selectIdleReq err=0
                select [inflight] idle=[] done=[] ret=selectIdleReq err=0
                limitCheck [inflight] idle=[] done=[] ret=selectIdleReq err=0
                selectIdleReq [inflight] idle=[] done=[] ret=selectIdleReq err=0
                waitDone [inflight] idle=[] done=[] ret=selectIdleReq err=0
""";

    /** The requests' ghost states, idle_reqs, done_reqs, wbRetPc, the reaping's error. */
    private static String batched(Batched w) {
        return w.requests().stream().map(Batched.RequestView::st).toList() + " idle=" + w.idleReqs()
                + " done=" + w.doneReqs() + " ret=" + w.retPc() + " err=" + w.reapErr();
    }

    /**
     * Mainline, one request, two slots, the first bio fails: the request goes idle, selected,
     * inflight, done (published by the endio before the wake-up), idle again with the reaping's
     * error -5 until the reaping returns, then round again; the drain's reaping returns to
     * drainWait. The endio's first step is the device's, labelled endioLock.
     */
    @Test
    void batchedOneRequestTheFirstBioFails() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED), 4, 8, 1)) {
            Batched w = (Batched) rig.wb;
            rig.write(0);
            rig.write(1);
            List<String> trace = probe(rig, () -> batched(w));
            assertEquals(-Errno.EIO, run(rig, "page_indexes=0-1", 0));
            assertEquals(lines(UNTIL_THE_FIRST_WAIT + """
                waitSleep [done] idle=[] done=[0] ret=selectIdleReq err=0
                waitDone [done] idle=[] done=[0] ret=selectIdleReq err=0
                completeDoneReqs [done] idle=[] done=[0] ret=selectIdleReq err=0
                completeDoneReqs [idle] idle=[0] done=[] ret=selectIdleReq err=-5
                selectIdleReq [idle] idle=[0] done=[] ret=selectIdleReq err=0
                reserveBlock [selected] idle=[] done=[] ret=selectIdleReq err=0
                readSlot [selected] idle=[] done=[] ret=selectIdleReq err=0
                submitWbRequest [selected] idle=[] done=[] ret=selectIdleReq err=0
                select [inflight] idle=[] done=[] ret=selectIdleReq err=0
                releaseReq [inflight] idle=[] done=[] ret=selectIdleReq err=0
                releaseBlock [inflight] idle=[] done=[] ret=selectIdleReq err=0
                drainWait [inflight] idle=[] done=[] ret=selectIdleReq err=0
                waitDone [inflight] idle=[] done=[] ret=drainWait err=0
                waitSleep [done] idle=[] done=[0] ret=drainWait err=0
                waitDone [done] idle=[] done=[0] ret=drainWait err=0
                completeDoneReqs [done] idle=[] done=[0] ret=drainWait err=0
                completeDoneReqs [idle] idle=[0] done=[] ret=drainWait err=0
                drainWait [idle] idle=[0] done=[] ret=drainWait err=0
                releaseCtl [idle] idle=[0] done=[] ret=drainWait err=0
                releaseWbCtl [idle] idle=[0] done=[] ret=drainWait err=0
                done [freed] idle=[] done=[] ret=drainWait err=0
                    """), trace);
            assertEquals(List.of("endioLock", "endioWakeUp", "endioRcuUnlock", "endioLock", "endioWakeUp",
                    "endioRcuUnlock"), rig.log.labels("irq-").stream().filter(l -> !l.equals("rcuGp")).toList());
        }
    }

    /**
     * The v2 – v4 reaping (COMPLETION_REINIT), one request, two slots, the first or the last bio
     * failing: the request stays inflight on inflight_reqs until the task's wait_for_completion()
     * returns and reinit_completion() runs; the error reaches ret from the select loop's wait, or
     * from the drain's (which returns to releaseCtl).
     */
    @Test
    void batchedCompletionReinitTheFirstOrTheLastBioFails() {
        for (int failing = 0; failing < 2; failing++) {
            try (Rig rig = new Rig(Variant.only(Design.BATCHED, Defect.COMPLETION_REINIT), 4, 8, 1)) {
                Batched w = (Batched) rig.wb;
                rig.write(0);
                rig.write(1);
                List<String> trace = probe(rig, () -> batched(w));
                assertEquals(-Errno.EIO, run(rig, "page_indexes=0-1", failing));
                assertEquals(lines(UNTIL_THE_FIRST_WAIT + """
                reinitCompletion [inflight] idle=[] done=[] ret=selectIdleReq err=0
                completeDoneReqs [inflight] idle=[] done=[] ret=selectIdleReq err=0
                completeDoneReqs [idle] idle=[0] done=[] ret=selectIdleReq err=%d
                selectIdleReq [idle] idle=[0] done=[] ret=selectIdleReq err=0
                reserveBlock [selected] idle=[] done=[] ret=selectIdleReq err=0
                readSlot [selected] idle=[] done=[] ret=selectIdleReq err=0
                submitWbRequest [selected] idle=[] done=[] ret=selectIdleReq err=0
                select [inflight] idle=[] done=[] ret=selectIdleReq err=0
                releaseReq [inflight] idle=[] done=[] ret=selectIdleReq err=0
                releaseBlock [inflight] idle=[] done=[] ret=selectIdleReq err=0
                drainWait [inflight] idle=[] done=[] ret=selectIdleReq err=0
                waitDone [inflight] idle=[] done=[] ret=releaseCtl err=0
                reinitCompletion [inflight] idle=[] done=[] ret=releaseCtl err=0
                completeDoneReqs [inflight] idle=[] done=[] ret=releaseCtl err=0
                completeDoneReqs [idle] idle=[0] done=[] ret=releaseCtl err=%d
                releaseCtl [idle] idle=[0] done=[] ret=releaseCtl err=0
                releaseWbCtl [idle] idle=[0] done=[] ret=releaseCtl err=0
                done [freed] idle=[] done=[] ret=releaseCtl err=0
                        """.formatted(failing == 0 ? -Errno.EIO : 0, failing == 1 ? -Errno.EIO : 0)), trace,
                        "bio " + failing + " fails");
            }
        }
    }

    /**
     * The v2 – v4 wait skipped: the task, parked before it reads num_inflight, finds 0 after the
     * last endio's complete(); done's count stays 1 until reinit_completion() clears it.
     */
    @Test
    void batchedCompletionReinitClearsACompletionNobodyWaitedFor() {
        try (Rig rig = new Rig(Variant.only(Design.BATCHED, Defect.COMPLETION_REINIT), 4, 8, 1)) {
            Batched w = (Batched) rig.wb;
            rig.write(0);
            StepGate.Pause wait = rig.gate.pauseAt("waitDone", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            wait.awaitArrival();
            rig.bdev.awaitPending(1);
            rig.bdev.completeNext().join();
            assertEquals(1, w.doneCount(), "complete() with nobody waiting");
            assertEquals(0, w.numInflight());
            StepGate.Pause reap = rig.gate.pauseAt("completeDoneReqs", "wb-task");
            wait.release();
            reap.awaitArrival();
            assertEquals(0, w.doneCount(), "reinit_completion()");
            reap.release();
            assertEquals(0, rig.finish(task));
        }
    }

    /**
     * Each request's ALLOCATED bit and block ownership, and the limit epoch of its page; the
     * request held, the search's iteration, the drain's request, cnt_off; the bios the device
     * holds (a plugged bio reaches it when the plug is flushed).
     */
    private static String multipage(MultiPage w, Rig rig) {
        return "dev=" + rig.bdev.pendingCount() + " " + w.requests().stream().map(r -> (r.allocated() ? "A" : "-") + (r.ownsBlock() ? "B" : "-")
                + r.limitEpoch()).toList() + " req=" + w.reqIndex() + " nrI=" + w.nrI() + " drainI=" + w.drainI()
                + " cnt=" + w.cntOff();
    }

    /**
     * Multipage, two requests, three slots, the limit on (epoch 2), the first and third bios
     * fail; then one more slot. A request owns its block from alloc_block_bdev() until the
     * completion hands it to the slot or the drain frees it (a failed one keeps it meanwhile); a
     * page's epoch is dead (0) once its charge is settled; the search of a free request is at
     * iteration 1 when the first one it tries is busy, and 0 once it returns; the drain starts
     * again at request 0 in the next writeback (the ghost outlives a writeback).
     */
    @Test
    void multipageTwoRequestsTheFirstAndThirdBiosFail() {
        try (Rig rig = new Rig(Variant.fixed(Design.MULTIPAGE), 4, 8, 2)) {
            MultiPage w = (MultiPage) rig.wb;
            for (int i = 0; i < 3; i++) {
                rig.write(i);
            }
            rig.zram.writebackLimitEnableStore(true);
            rig.zram.writebackLimitStore(100);
            List<String> trace = probe(rig, () -> multipage(w, rig));
            assertEquals(-Errno.EIO, run(rig, "page_indexes=0-2", 0, 2));
            List<String> first = List.copyOf(trace);

            rig.write(3);
            StepGate.Pause drain = rig.gate.pauseAt("drainCount", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=3");
            drain.awaitArrival();
            assertEquals(0, w.drainI(), "the drain starts at request 0 again");
            drain.release();
            assertEquals(0, rig.finish(task));
            for (int i = 0; i < 2; i++) {
                assertEquals(i, w.requestOf(w.requests().get(i).bio()));
            }
            assertEquals(-1, w.requestOf(new Bio(rig.zram.mem)), "a bio of no request");
            assertEquals(lines("""
                scan dev=0 [] req=-1 nrI=0 drainI=0 cnt=0
                scan dev=0 [] req=-1 nrI=0 drainI=0 cnt=0
                scan dev=0 [] req=-1 nrI=0 drainI=0 cnt=0
                poolAlloc dev=0 [] req=-1 nrI=0 drainI=0 cnt=0
                nextRequest dev=0 [--0, --0] req=-1 nrI=0 drainI=0 cnt=0
                startPlug dev=0 [A-0, --0] req=0 nrI=0 drainI=0 cnt=1
                select dev=0 [A-0, --0] req=0 nrI=0 drainI=0 cnt=1
                limitCheck dev=0 [A-0, --0] req=0 nrI=0 drainI=0 cnt=1
                allocBlock dev=0 [A-2, --0] req=0 nrI=0 drainI=0 cnt=1
                readSlot dev=0 [AB2, --0] req=0 nrI=0 drainI=0 cnt=1
                submitBio dev=0 [AB2, --0] req=0 nrI=0 drainI=0 cnt=1
                getRequest dev=0 [AB2, --0] req=0 nrI=0 drainI=0 cnt=1
                writebackComplete dev=0 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                select dev=0 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                limitCheck dev=0 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                allocBlock dev=0 [AB2, A-2] req=1 nrI=0 drainI=0 cnt=0
                readSlot dev=0 [AB2, AB2] req=1 nrI=0 drainI=0 cnt=0
                submitBio dev=0 [AB2, AB2] req=1 nrI=0 drainI=0 cnt=0
                getRequest dev=0 [AB2, AB2] req=1 nrI=0 drainI=0 cnt=0
                getRequest dev=0 [AB2, AB2] req=1 nrI=1 drainI=0 cnt=0
                waitCompletion dev=2 [AB2, AB2] req=-1 nrI=0 drainI=0 cnt=0
                getRequest dev=1 [-B2, AB2] req=-1 nrI=0 drainI=0 cnt=0
                writebackComplete dev=1 [AB2, AB2] req=0 nrI=0 drainI=0 cnt=1
                completeError dev=1 [AB0, AB2] req=0 nrI=0 drainI=0 cnt=1
                select dev=1 [AB0, AB2] req=0 nrI=0 drainI=0 cnt=1
                limitCheck dev=1 [AB0, AB2] req=0 nrI=0 drainI=0 cnt=1
                allocBlock dev=1 [AB2, AB2] req=0 nrI=0 drainI=0 cnt=1
                readSlot dev=1 [AB2, AB2] req=0 nrI=0 drainI=0 cnt=1
                submitBio dev=1 [AB2, AB2] req=0 nrI=0 drainI=0 cnt=1
                getRequest dev=1 [AB2, AB2] req=0 nrI=0 drainI=0 cnt=1
                getRequest dev=1 [AB2, AB2] req=0 nrI=1 drainI=0 cnt=1
                waitCompletion dev=2 [AB2, AB2] req=-1 nrI=0 drainI=0 cnt=1
                getRequest dev=1 [AB2, -B2] req=-1 nrI=0 drainI=0 cnt=1
                writebackComplete dev=1 [AB2, AB2] req=1 nrI=0 drainI=0 cnt=0
                completeNext dev=1 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                select dev=1 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                finishPlug dev=1 [AB2, A-0] req=1 nrI=0 drainI=0 cnt=0
                drainCount dev=1 [AB2, --0] req=1 nrI=0 drainI=0 cnt=0
                drainCount dev=0 [-B2, --0] req=1 nrI=0 drainI=0 cnt=0
                drainTest dev=0 [-B2, --0] req=1 nrI=0 drainI=0 cnt=0
                drainComplete dev=0 [-B2, --0] req=1 nrI=0 drainI=0 cnt=0
                drainError dev=0 [-B0, --0] req=1 nrI=0 drainI=0 cnt=0
                drainRelease dev=0 [-B0, --0] req=1 nrI=0 drainI=0 cnt=0
                drainTest dev=0 [--0, --0] req=1 nrI=0 drainI=1 cnt=0
                drainComplete dev=0 [--0, --0] req=1 nrI=0 drainI=1 cnt=0
                drainRelease dev=0 [--0, --0] req=1 nrI=0 drainI=1 cnt=0
                freePool dev=0 [--0, --0] req=1 nrI=0 drainI=1 cnt=0
                releaseCtl dev=0 [--0, --0] req=-1 nrI=0 drainI=1 cnt=0
                done dev=0 [--0, --0] req=-1 nrI=0 drainI=1 cnt=0
                    """), first);
        }
    }

    /**
     * Multipage as posted (REQ_POOL_UAF, no counting loop before the drain): the drain itself
     * waits for each request still ALLOCATED, and every wait takes one completion off what is
     * owed. The endios here run to their end before the task goes on.
     */
    @Test
    void multipageAsPostedWaitsInItsDrainLoop() {
        try (Rig rig = new Rig(Variant.only(Design.MULTIPAGE, Defect.REQ_POOL_UAF), 4, 8, 2)) {
            MultiPage w = (MultiPage) rig.wb;
            rig.write(0);
            rig.write(1);
            assertEquals(0, run(rig, "page_indexes=0-1"));
            assertTrue(rig.log.labels("wb-task").contains("drainWait"), "the drain loop waited");
            assertEquals(0, w.owed());
        }
    }

    /** Batched: the block reserved for a pp-slot and not yet given to a request is the task's. */
    @Test
    void batchedTheCarriedBlockHasItsOwner() {
        try (Rig rig = new Rig(Variant.fixed(Design.BATCHED), 4, 8, 1)) {
            Batched w = (Batched) rig.wb;
            rig.write(0);
            StepGate.Pause read = rig.gate.pauseAt("readSlot", "wb-task");
            Actor<Integer> task = rig.writeback("page_index=0");
            read.awaitArrival();
            assertEquals(0, w.carriedBlock());
            assertEquals(List.of(), rig.violations(), "BlockNoLeak: blk_idx of zram_writeback_slots owns it");
            read.release();
            assertEquals(0, rig.finish(task));
        }
    }
}
