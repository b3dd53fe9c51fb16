package dev.zwb.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KObject poisoning, and the primitives that live inside freed memory. */
class LifetimeTest {

    private final Kernel kernel = new Kernel();

    @Test
    void touchBeforeFreeIsFine() {
        KObject obj = new KObject(kernel, "req_pool");
        obj.touch("req->flags");
        assertFalse(obj.freed());
        assertTrue(kernel.kasan.reports().isEmpty());
    }

    @Test
    void touchAfterFreeNamesObjectAccessAndLabel() {
        KObject obj = new KObject(kernel, "req_pool");
        kernel.at("freePool");
        obj.kfree();
        kernel.at("endioComplete");
        obj.touch("req->done");
        Kasan.Report r = kernel.kasan.reports().get(0);
        assertEquals(Kasan.Kind.USE_AFTER_FREE, r.kind());
        assertEquals("req_pool", r.object());
        assertEquals("req->done", r.access());
        assertEquals("endioComplete", r.label());
        assertTrue(r.detail().contains("freePool"), r.detail());
    }

    @Test
    void doubleFreeIsReported() {
        KObject obj = new KObject(kernel, "zram_pp_slot[0]");
        obj.kfree();
        obj.kfree();
        assertEquals(Kasan.Kind.DOUBLE_FREE, kernel.kasan.reports().get(0).kind());
    }

    @Test
    void theEndOfAStackFramePoisonsIt() {
        KObject frame = new KObject(kernel, "frame");
        frame.leaveFrame();
        assertTrue(frame.freed());
        new AtomicT(frame, 0).atomicRead();
        assertEquals(1, kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).size());
    }

    @Test
    void atomicT() {
        KObject obj = new KObject(kernel, "wb_ctl");
        AtomicT n = new AtomicT(obj, 0);
        n.atomicInc();
        n.atomicInc();
        assertEquals(1, n.atomicDecReturn());
        n.atomicDec();
        assertEquals(1, n.atomicIncReturn());
        assertEquals(1, n.atomicXchg(7));
        n.atomicSet(3);
        assertEquals(3, n.atomicRead());
        assertTrue(kernel.kasan.reports().isEmpty());
    }

    @Test
    void spinLockOnFreedMemoryAndRecursion() {
        KObject obj = new KObject(kernel, "wb_ctl");
        SpinLock lock = new SpinLock(obj);
        lock.spinLockIrqsave();
        assertThrows(Oops.class, lock::spinLock);
        lock.spinUnlockIrqrestore();
        assertEquals(Kasan.Kind.LOCKDEP, kernel.kasan.reports().get(0).kind());
        obj.kfree();
        lock.spinLock();
        lock.spinUnlock();
        assertEquals(2, kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).size());
    }
}
