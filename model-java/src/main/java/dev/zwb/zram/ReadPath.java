package dev.zwb.zram;

/**
 * Which zram_read_page() the device runs for a ZRAM_WB slot. The read path is shared by every
 * writeback design, so the read-path defect switches select one of these.
 */
public enum ReadPath {
    /**
     * Before patch 6/6 of the batched series (v6.13 – v6.18 and the multipage patch): test
     * ZRAM_WB under the slot lock, unlock, then load the handle (the block index) without the
     * lock, then read the block. Switch READ_BLKIDX_UNLOCKED. This path has no re-check either.
     */
    UNLOCKED_HANDLE,
    /**
     * Patch 6/6, "read slot block idx under slot lock" (upstream since v6.19): the block index is
     * loaded under the lock, the lock is dropped, the block is read. The slot can still be freed
     * and its block reused before the read. Switch NO_READ_RECHECK.
     */
    LOCKED_HANDLE,
    /**
     * Patch 6/6 plus the re-check a reviewer asked for (Brian Geffon, 2025-11-20): after the
     * device read, re-take the slot lock and accept the data only if the slot is still ZRAM_WB
     * on the same block; otherwise start the read again. The model's fixed read path.
     */
    LOCKED_HANDLE_RECHECK
}
