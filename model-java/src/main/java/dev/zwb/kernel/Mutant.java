package dev.zwb.kernel;

/**
 * Concurrency mutants: named, deliberately wrong variations of the fixed paths (a lock dropped,
 * two steps swapped, a re-check weakened, a release skipped). They exist to prove that the tests
 * bite: {@code ConcurrencyMutantsTest} arms each one in turn and runs the test named for it in
 * {@code concurrency-mutants.tsv}, which must then fail, and pass with nothing armed. They are
 * not defects of any kernel: none is behind a {@code Defect} switch, and no variant turns one on.
 *
 * <p>A mutant is armed for the kernels created on one thread ({@link #arm}), so a test that arms
 * one cannot leak it into another test. The code consults it with one {@code mutant(X)} check at
 * the mutated point, which reads the {@link Kernel}'s field.
 */
public enum Mutant {
    /** zram_writeback_endio() puts the request on done_reqs without done_lock. */
    ENDIO_PUBLISH_WITHOUT_DONE_LOCK,
    /** zram_read_page() (patch 6/6 paths) loads the block index after zram_slot_unlock(). */
    READ_BLKIDX_AFTER_UNLOCK,
    /** The read re-check tests ZRAM_WB only, not that the block is still the one read. */
    READ_RECHECK_IGNORES_BLOCK,
    /** scan_slots_for_writeback() ignores HUGE_WRITEBACK. */
    SCAN_IGNORES_HUGE,
    /** Multipage: the refund on a bio error ignores the limit-store generation. */
    MULTIPAGE_REFUND_IGNORES_LIMIT_GEN,
    /** Multipage: no refund on a bio error. */
    MULTIPAGE_REFUND_DROPPED,
    /** Batched: no refund on a bio error (zram_account_writeback_rollback() skipped). */
    BATCHED_REFUND_DROPPED,
    /** Batched: the refund on a bio error is made twice. */
    BATCHED_REFUND_DOUBLED,
    /** Batched: a request selected but never submitted is not released. */
    BATCHED_SELECTED_REQ_NEVER_RELEASED,
    /** Batched: zram_writeback_complete() tests and converts the slot without its slot lock. */
    BATCHED_COMPLETE_WITHOUT_SLOT_LOCK,
    /** Single: the conversion sets ZRAM_WB and the handle before zram_free_page(). */
    SINGLE_SET_WB_BEFORE_FREE_PAGE,
    /** Multipage: the drain does not free a request's block. */
    MULTIPAGE_DRAIN_KEEPS_BLOCK,
    /** Batched: the task takes a done request off done_reqs without done_lock. */
    BATCHED_REAP_WITHOUT_DONE_LOCK,
    /** Batched: release_pp_slot() of a completed request is skipped. */
    BATCHED_COMPLETED_PPS_NOT_RELEASED;

    private static final ThreadLocal<Mutant> ARMED = new ThreadLocal<>();

    /** Arms {@code m} (null: none) for the kernels the current thread creates from now on. */
    public static void arm(Mutant m) {
        if (m == null) {
            ARMED.remove();
        } else {
            ARMED.set(m);
        }
    }

    /** The mutant armed on the current thread, or null. */
    static Mutant armed() {
        return ARMED.get();
    }

    /**
     * The mutant named {@code name}.
     *
     * @throws IllegalArgumentException naming the bad value and the accepted ones
     */
    public static Mutant parse(String name) {
        for (Mutant m : values()) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown mutant '" + name + "'; accepted: "
                + java.util.Arrays.toString(values()));
    }
}
