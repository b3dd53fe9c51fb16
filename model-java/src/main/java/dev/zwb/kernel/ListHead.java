package dev.zwb.kernel;

/**
 * struct list_head: an intrusive, circular, doubly linked list. A head is a node with no entry;
 * an entry node is embedded in the struct it links ({@link #entry()} plays container_of()).
 *
 * <p>Implementation notes. No locking: as in the kernel, the caller's lock (or the rule that one
 * task owns the list) protects it, and that lock gives the Java happens-before edges the plain
 * fields need. {@code next} is volatile because wait_event(..., !list_empty(head)) reads it
 * without the lock. Every operation touches the memory of the nodes it reads or writes, so a
 * list_add() on a freed request or a list_del_init() of a freed pp-slot is a use-after-free
 * report. list_del() poisons the entry (null links, the model's LIST_POISON); a later operation
 * on it is a DEBUG_LIST corruption report and does nothing.
 *
 * @param <T> the type of the struct the entries are embedded in
 */
public final class ListHead<T> {

    private final KObject owner;
    private final T entry;
    /** A head's lock (null: none declared): adding or deleting without it is a LOCKDEP report. */
    private final SpinLock guard;
    /** An entry's list head while linked (written under the list's lock): where lockdep looks. */
    private ListHead<T> list;
    /** Volatile: list_empty() reads it without the list's lock (READ_ONCE in the kernel). */
    private volatile ListHead<T> next;
    private ListHead<T> prev;

    private ListHead(KObject owner, T entry, SpinLock guard) {
        this.owner = owner;
        this.entry = entry;
        this.guard = guard;
        this.next = this;
        this.prev = this;
    }

    /** LIST_HEAD_INIT of a list head embedded in {@code owner}. */
    public static <T> ListHead<T> head(KObject owner) {
        return new ListHead<>(owner, null, null);
    }

    /**
     * A list head embedded in {@code owner} whose additions and deletions must hold
     * {@code guard} (the model's lockdep_assert_held() in list_add() / list_del(); reads such as
     * list_empty() may go without it).
     */
    public static <T> ListHead<T> head(KObject owner, SpinLock guard) {
        return new ListHead<>(owner, null, guard);
    }

    /** INIT_LIST_HEAD of the list node embedded in {@code entry}, whose memory is {@code owner}. */
    public static <T> ListHead<T> node(KObject owner, T entry) {
        return new ListHead<>(owner, entry, null);
    }

    /** container_of(): the struct this node is embedded in (null for a head). */
    public T entry() {
        return entry;
    }

    /** list_add(): inserts {@code node} right after {@code head}. */
    public static <T> void listAdd(ListHead<T> node, ListHead<T> head) {
        if (poisoned(head, "list_add") || poisoned(head.next, "list_add")) {
            return;
        }
        insert(node, head, head.next);
        node.list = head;
    }

    /** list_add_tail(): inserts {@code node} right before {@code head}. */
    public static <T> void listAddTail(ListHead<T> node, ListHead<T> head) {
        if (poisoned(head, "list_add_tail") || poisoned(head.prev, "list_add_tail")) {
            return;
        }
        insert(node, head.prev, head);
        node.list = head;
    }

    /** list_del(): unlinks {@code node} and poisons it. */
    public static <T> void listDel(ListHead<T> node) {
        if (unlink(node, "list_del")) {
            node.next = null;
            node.prev = null;
        }
    }

    /** list_del_init(): unlinks {@code node} and makes it an empty list of its own. */
    public static <T> void listDelInit(ListHead<T> node) {
        if (unlink(node, "list_del_init")) {
            node.next = node;
            node.prev = node;
        }
    }

    /** list_empty(). */
    public static <T> boolean listEmpty(ListHead<T> head) {
        head.owner.touch("list_empty");
        return head.next == head;
    }

    /** list_first_entry_or_null(). */
    public static <T> T listFirstEntryOrNull(ListHead<T> head) {
        head.owner.touch("list_first_entry");
        if (head.next == head || poisoned(head.next, "list_first_entry")) {
            return null;
        }
        head.next.owner.touch("list_first_entry");
        return head.next.entry;
    }

    /** Ghost: the entries of this list head in order, without touching memory (for the mapping). */
    public java.util.List<T> peekEntries() {
        java.util.List<T> out = new java.util.ArrayList<>();
        for (ListHead<T> n = next; n != null && n != this; n = n.next) {
            out.add(n.entry);
        }
        return out;
    }

    /** Whether {@code node} is linked into a list (not self-linked, not poisoned). */
    public boolean linked() {
        return next != null && next != this;
    }

    private static <T> void insert(ListHead<T> node, ListHead<T> prev, ListHead<T> next) {
        assertGuardHeld(prev.list == null ? prev : prev.list, "list_add");
        node.owner.touch("list_add");
        prev.owner.touch("list_add");
        next.owner.touch("list_add");
        next.prev = node;
        node.next = next;
        node.prev = prev;
        prev.next = node;
    }

    private static <T> boolean unlink(ListHead<T> node, String op) {
        node.owner.touch(op);
        if (poisoned(node, op)) {
            return false;
        }
        if (node.list != null) {
            assertGuardHeld(node.list, op);
        }
        node.prev.owner.touch(op);
        node.next.owner.touch(op);
        node.prev.next = node.next;
        node.next.prev = node.prev;
        node.list = null;
        return true;
    }

    private static void assertGuardHeld(ListHead<?> head, String op) {
        if (head.guard != null && !head.guard.heldByCurrentThread()) {
            head.owner.kernel().kasan.report(Kasan.Kind.LOCKDEP, head.owner.name(), op,
                    "list modified without its lock");
        }
    }

    private static boolean poisoned(ListHead<?> node, String op) {
        if (node.next != null && node.prev != null) {
            return false;
        }
        node.owner.kernel().kasan.report(Kasan.Kind.LIST_CORRUPTION, node.owner.name(), op,
                "entry was already list_del()ed (LIST_POISON)");
        return true;
    }
}
