package dev.zwb.kernel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ListHeadTest {

    private final Kernel kernel = new Kernel();
    private final KObject ctl = new KObject(kernel, "ctl");
    private final ListHead<String> head = ListHead.head(ctl);

    private ListHead<String> node(String name) {
        return ListHead.node(new KObject(kernel, name), name);
    }

    @Test
    void addIsAtTheHeadAddTailAtTheTail() {
        assertTrue(ListHead.listEmpty(head));
        ListHead<String> a = node("a");
        ListHead<String> b = node("b");
        ListHead<String> c = node("c");
        ListHead.listAdd(a, head);
        ListHead.listAdd(b, head);
        ListHead.listAddTail(c, head);
        assertEquals("b", ListHead.listFirstEntryOrNull(head));
        ListHead.listDel(b);
        assertEquals("a", ListHead.listFirstEntryOrNull(head));
        ListHead.listDelInit(a);
        assertFalse(a.linked());
        assertEquals("c", ListHead.listFirstEntryOrNull(head));
        ListHead.listDel(c);
        assertNull(ListHead.listFirstEntryOrNull(head));
        assertTrue(kernel.kasan.reports().isEmpty());
    }

    @Test
    void listDelInitTwiceIsHarmless() {
        ListHead<String> a = node("a");
        ListHead.listAdd(a, head);
        ListHead.listDelInit(a);
        ListHead.listDelInit(a);
        assertTrue(kernel.kasan.reports().isEmpty());
    }

    @Test
    void listDelTwiceIsCorruption() {
        ListHead<String> a = node("a");
        ListHead.listAdd(a, head);
        ListHead.listDel(a);
        ListHead.listDel(a);
        assertEquals(Kasan.Kind.LIST_CORRUPTION, kernel.kasan.reports().get(0).kind());
    }

    @Test
    void addToAFreedListIsAUseAfterFree() {
        ctl.kfree();
        ListHead.listAdd(node("a"), head);
        assertFalse(kernel.kasan.reports(Kasan.Kind.USE_AFTER_FREE).isEmpty());
    }
}
