package dev.zwb.zram;

import dev.zwb.kernel.Content;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Ghost state: what the spec tracks beside the kernel's own state, so that the invariants can be
 * stated. It is updated inside the same critical section as the real change it describes (under
 * the slot lock, the wb_limit lock, ...), so it moves in the same atomic step.
 * <ul>
 * <li>per slot, the {@code logical} content: the latest version written, or
 *     {@link Content#ZERO} when the slot is free; and the history of those values, numbered by
 *     a global sequence, so a finished read can be judged against every content the slot held
 *     while the read ran;</li>
 * <li>per slot, whether anything touched it (write, free, access) since the scan placed it;</li>
 * <li>the write-back limit: the value last stored, an epoch that every store advances, and how
 *     many pages whose limit check came in the current epoch were charged to the budget (less
 *     those refunded after a bio error): the spec's limPages.</li>
 * </ul>
 *
 * <p>Implementation notes. Every method is synchronized on the ghost. This adds ordering the
 * kernel does not have; it matters only to weak-memory harnesses, which should not enable ghosts.
 * The ghost never changes what the model does.
 */
public final class ZramGhost {

    /** One change of a slot's logical content. */
    private record Change(long seq, Content content) {
    }

    private final Content[] logical;
    private final long[] lastVersion;
    private final boolean[] touched;
    private final List<List<Change>> history = new ArrayList<>();
    private final List<String> readViolations = new ArrayList<>();
    private final List<String> readFailures = new ArrayList<>();
    private long seq;

    private boolean limitEnabled;
    private long limitStored;
    private long limitEpoch;
    private long chargedThisEpoch;
    private String limitViolation;

    ZramGhost(int nrSlots) {
        logical = new Content[nrSlots];
        lastVersion = new long[nrSlots];
        touched = new boolean[nrSlots];
        for (int i = 0; i < nrSlots; i++) {
            logical[i] = Content.ZERO;
            history.add(new ArrayList<>());
        }
    }

    // ---- slot contents ------------------------------------------------------------------------

    /** The content a new write of {@code slot} carries: the next version. */
    synchronized Content newContent(int slot) {
        return new Content(slot, ++lastVersion[slot]);
    }

    /** A write installed {@code content} in {@code slot}. */
    synchronized void install(int slot, Content content) {
        change(slot, content);
    }

    /** {@code slot} was freed (discard, free notification): it now reads as the zero page. */
    synchronized void free(int slot) {
        change(slot, Content.ZERO);
    }

    /** {@code slot} was read or written (zram_accessed()). */
    synchronized void accessed(int slot) {
        touched[slot] = true;
    }

    /** The scan placed {@code slot} in a pp bucket: nothing has touched it since. */
    synchronized void scanned(int slot) {
        touched[slot] = false;
    }

    private void change(int slot, Content content) {
        logical[slot] = content;
        touched[slot] = true;
        history.get(slot).add(new Change(++seq, content));
    }

    /** What {@code slot} must read back as: its latest write, or the zero page. */
    public synchronized Content logical(int slot) {
        return logical[slot];
    }

    /** Whether anything wrote, freed or accessed {@code slot} since the scan placed it. */
    public synchronized boolean touchedSinceScan(int slot) {
        return touched[slot];
    }

    // ---- reads --------------------------------------------------------------------------------

    /** A read of a slot takes its first step: returns the token to pass to {@link #readEnd}. */
    synchronized long readBegin() {
        return seq;
    }

    /**
     * A read of {@code slot} that began at {@code token} returned {@code got}. It must be a content
     * the slot held at some moment of the read: the content at its start, or one installed since.
     */
    synchronized void readEnd(int slot, long token, Content got) {
        Set<Content> held = new LinkedHashSet<>();
        held.add(Content.ZERO);
        for (Change c : history.get(slot)) {
            if (c.seq() <= token) {
                held.clear();
                held.add(c.content());
            } else {
                held.add(c.content());
            }
        }
        if (!held.contains(got)) {
            readViolations.add("read of slot " + slot + " returned " + got
                    + ", but while the read ran the slot held only " + held);
        }
    }

    /** The global change sequence now (the end of a read's window). */
    synchronized long now() {
        return seq;
    }

    /**
     * What {@code slot} held during the window (token, end]: its content at {@code token}, then
     * every content installed up to {@code end}. The spec's rdSeen, for the refinement mapping.
     */
    public synchronized Set<Content> heldBetween(int slot, long token, long end) {
        Set<Content> held = new LinkedHashSet<>();
        Content atStart = Content.ZERO;
        for (Change c : history.get(slot)) {
            if (c.seq() <= token) {
                atStart = c.content();
            } else if (c.seq() <= end) {
                held.add(c.content());
            }
        }
        held.add(atStart);
        return held;
    }

    /** A read of {@code slot} failed with an error of the driver's own (not of the device). */
    synchronized void readFailed(int slot, String why) {
        readFailures.add("read of slot " + slot + " failed: " + why);
    }

    /** Reads that failed although the device did not fail them (ReadsSucceed). */
    public synchronized List<String> readFailures() {
        return List.copyOf(readFailures);
    }

    /** Reads that returned something their slot did not hold while they ran. */
    public synchronized List<String> readViolations() {
        return List.copyOf(readViolations);
    }

    // ---- write-back limit ----------------------------------------------------------------------

    /** writeback_limit_store(): a new budget, and a new epoch. */
    synchronized void limitStore(long value) {
        limitStored = value;
        newEpoch();
    }

    /** writeback_limit_enable_store(): a new epoch. */
    synchronized void limitEnableStore(boolean enabled) {
        limitEnabled = enabled;
        newEpoch();
    }

    private void newEpoch() {
        limitEpoch++;
        chargedThisEpoch = 0;
    }

    /**
     * The epoch a page's limit check falls in: the writeback task passed the check now. Call it
     * under the lock the check runs under.
     */
    public synchronized long limitCheckPassed() {
        return limitEpoch;
    }

    /**
     * The limit was charged for a page whose check fell in {@code checkEpoch}: it counts against
     * the latest store only if its check came after that store.
     */
    public synchronized void limitCharged(long checkEpoch) {
        if (checkEpoch != limitEpoch) {
            return;
        }
        chargedThisEpoch++;
        if (limitEnabled && chargedThisEpoch > limitStored && limitViolation == null) {
            limitViolation = chargedThisEpoch + " pages whose limit check came after the store"
                    + " of " + limitStored + " were charged to it";
        }
    }

    /** The charge of a page whose check fell in {@code checkEpoch} was refunded (bio error). */
    public synchronized void limitRefunded(long checkEpoch) {
        if (checkEpoch == limitEpoch) {
            chargedThisEpoch--;
        }
    }

    /**
     * WbLimitAccounted (batched, where no store lands mid-writeback): with the limit on and not
     * overrun (that is WbLimit), {@code bd_wb_limit} plus the pages charged and not refunded is
     * the value stored; else what is off, or null.
     */
    public synchronized String limitAccountingViolation(long bdWbLimit) {
        if (!limitEnabled || chargedThisEpoch > limitStored || bdWbLimit + chargedThisEpoch == limitStored) {
            return null;
        }
        return "bd_wb_limit " + bdWbLimit + " + " + chargedThisEpoch + " pages charged != " + limitStored + " stored";
    }

    /** How many limit stores (and enable stores) so far: the spec's limEpoch plus the set-up's. */
    public synchronized long limitEpoch() {
        return limitEpoch;
    }

    /** The value of the latest limit store: the spec's limStored. */
    public synchronized long limitStored() {
        return limitStored;
    }

    /** Pages charged (less refunds) whose check came after the latest store: the spec's limPages. */
    public synchronized long chargedThisEpoch() {
        return chargedThisEpoch;
    }

    /** The first time the write-back budget was exceeded, or null. */
    public synchronized String limitViolation() {
        return limitViolation;
    }
}
