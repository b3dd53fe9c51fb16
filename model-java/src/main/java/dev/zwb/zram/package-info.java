/**
 * The parts of drivers/block/zram/zram_drv.c that every writeback design shares: the slot table
 * and its flags, the backing-device bitmap, slot free, the I/O paths that run beside a writeback
 * (write, read, discard, slot-free notification), the limit, the stats, zsmalloc handles.
 *
 * <p>Names. The Java twin keeps one name per C function: the 6.17 name that the single and
 * multipage designs were written against, camelCased. Where a later kernel renamed a function
 * that the batched design's version uses, the table below gives the name to search for in that
 * copy. A function whose behaviour changed with its name has both methods (alloc_block_bdev()
 * of v6.13 – v6.18 and zram_reserve_bdev_block() of v6.19, free_block_bdev() and
 * zram_release_bdev_block()); one that exists only in a later kernel (e.g.
 * {@code compressedWritebackStore}) carries that kernel's name.
 * <pre>
 *   Java twin (6.17 name)      v6.19                     7.0+ (raspberrypi/linux @052b6b2d)
 *   zramSlotLock/Unlock        zram_slot_lock/unlock     slot_lock/slot_unlock
 *   zramTest/Set/ClearFlag     zram_test/set/clear_flag  test/set/clear_slot_flag
 *   zramGet/SetHandle          zram_get/set_handle       get/set_slot_handle
 *   zramGet/SetObjSize         zram_get/set_obj_size     get/set_slot_size
 *   zramFreePage               zram_free_page            slot_free
 *   zramReadFromZspool         zram_read_from_zspool     read_from_zspool
 *   zramAccessed               zram_accessed             mark_slot_accessed
 *   zramAllocated              zram_allocated            slot_allocated
 *   initLock                   init_lock                 dev_lock
 * </pre>
 * Behaviour that changed with a version (the 7.0 completion, dev_lock held for write by
 * writeback_store(), compressed writeback) is chosen by the design's variant, never by the
 * name: see {@code dev.zwb.writeback.Batched} and {@code Writeback#devLockForWrite}.
 */
package dev.zwb.zram;
