package dev.zwb.kernel;

import dev.zwb.Rig;
import dev.zwb.sched.Actor;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionTest {

    private final Kernel kernel = new Kernel();
    private final KObject frame = new KObject(kernel, "test frame");

    @Test
    void countsCompletions() {
        Completion done = new Completion(frame);
        assertFalse(done.completionDone());
        done.complete();
        done.complete();
        done.waitForCompletion();
        done.waitForCompletionIo();
        assertFalse(done.tryWaitForCompletion(), "two complete(), two waits: none left");
    }

    @Test
    void reinitForgetsCompletionsNotWaitedFor() {
        Completion done = new Completion(frame);
        done.complete();
        assertTrue(done.completionDone());
        done.reinitCompletion();
        assertFalse(done.completionDone());
    }

    @Test
    void completeAllReleasesEveryWait() {
        Completion done = new Completion(frame);
        done.completeAll();
        for (int i = 0; i < 5; i++) {
            done.waitForCompletion();
        }
        assertTrue(done.completionDone());
    }

    @Test
    void waiterSleepsUntilComplete() {
        Completion done = new Completion(frame);
        Actor<Void> waiter = Actor.run("waiter", done::waitForCompletion);
        Rig.settle(kernel, waiter);
        done.complete();
        waiter.join();
        assertFalse(done.completionDone(), "the waiter took the one completion");
    }

    @Test
    void completeOnADeadStackFrameIsAUseAfterFree() {
        Completion done = new Completion(frame);
        frame.leaveFrame();
        kernel.at("endioComplete");
        done.complete();
        Kasan.Report r = kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).get(0);
        assertEquals("test frame", r.object());
        assertEquals("complete", r.access());
        assertEquals("endioComplete", r.label());
    }

    @Test
    void aWaitThatNobodyEndsIsAHungTask() {
        kernel.setHungTaskTimeout(Duration.ofMillis(100));
        Completion done = new Completion(frame);
        assertThrows(Oops.class, done::waitForCompletion);
        assertEquals(1, kernel.kasan.reports(Kasan.Kind.HUNG_TASK).size());
    }
}
