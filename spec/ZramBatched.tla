----------------------------- MODULE ZramBatched -----------------------------
(***************************************************************************)
(* Sergey Senozhatsky's "zram: introduce writeback bio batching" as merged *)
(* for v6.19 (v6 patches 1/6 - 6/6), and the 7.0+ code with both fixes.    *)
(*                                                                         *)
(* C: v6.19 = "[PATCHv6 1/6] zram: introduce writeback bio batching"       *)
(*    (Message-ID 20251122074029.3948921-2-senozhatsky@chromium.org) with  *)
(*    5/6 "rework bdev block allocation" and 6/6 "read slot block idx      *)
(*    under slot lock"; 7.0+ = raspberrypi/linux @052b6b2d                 *)
(*    drivers/block/zram/zram_drv.c: init_wb_ctl(),                        *)
(*    zram_writeback_slots(), zram_select_idle_req(),                      *)
(*    zram_submit_wb_request(),                                            *)
(*    zram_complete_done_reqs(), zram_writeback_complete(),                *)
(*    zram_writeback_endio(), release_wb_ctl() (kfree_rcu), the            *)
(*    carried-block release after the loop.  The completion design of      *)
(*    v2-v4 (COMPLETION_REINIT) follows the v4 1/6 patch                   *)
(*    (zram_wb_wait_for_completion(), atomic_dec_return() in the endio);   *)
(*    its actions are in a section of their own below, so the merged       *)
(*    design's actions read straight through.  docs/sources.md lists every *)
(*    version and commit.                                                  *)
(*                                                                         *)
(* Processes: "wb" (writeback_store -> zram_writeback_slots), one endio    *)
(* per request of the pool (the backing device completing that request's  *)
(* bio, then zram_writeback_endio), "rcu" (the grace period that runs a   *)
(* kfree_rcu callback), and the environment of ZramCommon WITHOUT          *)
(* "limitStore": since patch 3/6 writeback_limit_store and                 *)
(* writeback_limit_enable_store take init_lock for write, and              *)
(* writeback_store holds it for read for the whole writeback (7.0+: for    *)
(* write), so no limit store can run during a batched writeback.           *)
(* With MarkIdle # "none" also "markIdle" (idle_store() -> mark_idle(),    *)
(* see its section): beside a 6.19 writeback, before or after a mainline  *)
(* one.                                                                    *)
(*                                                                         *)
(* Names: a local x of zram_writeback_slots() is wbX here: wbReq is its    *)
(* req, wbBlk blk_idx, wbPps pps, wbRet ret; wbPc is the task's program    *)
(* counter, wbRetPc where zram_complete_done_reqs() returns to.  The       *)
(* wb_batch_size struct zram_wb_req that init_wb_ctl() allocates are       *)
(* reqPool[1..PoolSize] (the C links them on lists; it has no array).      *)
(* Variables by writer:                                                    *)
(* taskVars (the task's own), ctlVars (wb_ctl and the requests: the task   *)
(* and the endios), endioVars (the endios' own), flagVars (the slot flags *)
(* beside tbl's and the statistics: the task's completion and the         *)
(* environment), and ZramCommon's groups.                                  *)
(*                                                                         *)
(* Labels: values of wbPc (the task) and of endioPc[r] (request r's        *)
(* endio), and the steps without a pc of their own; each label and the C  *)
(* it models, in the order the C runs them (TypeOK proves the set          *)
(* complete; docs/map.md is checked against this table):                   *)
(*  initWbCtl             init_wb_ctl(): lists, wait queue, lock,          *)
(*                        num_inflight, the request pool                   *)
(*  scan                  scan_slots_for_writeback()                       *)
(*  select                select_pp_slot()                                 *)
(*  limitCheck            wb_limit_enable && !bd_wb_limit -> -EIO          *)
(*  selectIdleReq         zram_select_idle_req()                           *)
(*  waitDone              wait_event(done_wait, !list_empty(&done_reqs)):  *)
(*                        the condition (v2 - v4, COMPLETION_REINIT: if    *)
(*                        (atomic_read(&num_inflight))                     *)
(*                        wait_for_completion_io(&done))                   *)
(*  waitSleep             ... asleep until wake_up()                       *)
(*  reinitCompletion      v2 - v4 only: reinit_completion(&done)           *)
(*                        (COMPLETION_REINIT)                              *)
(*  completeDoneReqs      zram_complete_done_reqs(): pop, complete,        *)
(*                        atomic_dec, release_pp_slot, back to idle        *)
(*  reserveBlock          zram_reserve_bdev_block() (block 0 usable)       *)
(*  readSlot              slot lock; ZRAM_PP_SLOT?; read_from_zspool()     *)
(*                        (compressed writeback: read_from_zspool_raw());  *)
(*                        unlock                                           *)
(*  submitWbRequest       list_del_init(&pps->entry); fill the request;    *)
(*                        zram_submit_wb_request(): charge, atomic_inc,    *)
(*                        submit_bio()                                     *)
(*  next                  next: unlock; release_pp_slot(); keep blk_idx    *)
(*                        and req                                          *)
(*  releaseReq            after the loop: release_wb_req(req)              *)
(*  releaseBlock          after the loop: zram_release_bdev_block(blk_idx) *)
(*                        (3e8d8eb8d7f5; BLK_IDX_LEAK drops it)            *)
(*  drainWait             the drain: while (atomic_read(&num_inflight) >   *)
(*                        0)                                               *)
(*  releaseCtl            release_pp_ctl()                                 *)
(*  releaseWbCtl          release_wb_ctl(): kfree(wb_ctl) or               *)
(*                        kfree_rcu(wb_ctl, rcu)                           *)
(*  done                  writeback_store() returns                        *)
(*  endioLock             zram_writeback_endio(): rcu_read_lock();         *)
(*                        spin_lock_irqsave(done_lock);                    *)
(*                        list_add(done_reqs); unlock                      *)
(*  endioWakeUp           wake_up(&wb_ctl->done_wait)                      *)
(*  endioRcuUnlock        rcu_read_unlock()                                *)
(*  endioDec              v2 - v4: atomic_dec_return(&num_inflight) == 0   *)
(*  endioComplete         v2 - v4: complete(&done)                         *)
(*  rcuGp                 a grace period ends; kfree_rcu's deferred free   *)
(*                        runs                                             *)
(*  readDecompress        compressed writeback (7.0+): zram_rb_req ->      *)
(*                        zram_deferred_decompress() ->                    *)
(*                        decompress_bdev_page(): slot lock, ZRAM_WB?      *)
(*                        (zwb's fix: and the same block?), decompress     *)
(*                        with the slot's size and priority (readBio then  *)
(*                        reads the raw object)                            *)
(*  markIdle              idle_store() -> mark_idle(), one index: slot     *)
(*                        lock; allocated, not ZRAM_WB? set (or, aged,     *)
(*                        clear) ZRAM_IDLE; unlock                         *)
(*                                                                         *)
(* The endio's entry label (EndioEntry) is also its idle state: the step   *)
(* there is enabled only while the request's bio is in flight.  The "rcu"  *)
(* process has one action, rcuGp (the grace period ends, the kfree_rcu     *)
(* callback frees wb_ctl).  The Java twin calls a step hook with the same  *)
(* names.                                                                  *)
(*                                                                         *)
(* Versions: Kernel = "6.19" (as-released) or "mainline" (every other    *)
(* model; the newest copy read, raspberrypi/linux @052b6b2d), and          *)
(* CompressedWb (mainline only) for compressed writeback; see Mainline and *)
(* Garbage below.  docs/mainline.md draws the differences.  The slot      *)
(* flags ZRAM_IDLE / ZRAM_HUGE / ZRAM_INCOMPRESSIBLE, the writeback mode    *)
(* (WbMode: page_indexes= or type=idle|huge|huge_idle|incompressible) and  *)
(* the huge_pages / pages_stored statistics are in the section "Slot      *)
(* flags and accounting".  Left out of the cited copy: flags changing      *)
(* during the writeback other than by a free, a write, an access or       *)
(* mark_idle() (no incompressible write during the run),                  *)
(* ZRAM_SAME, the compr_data_size / bd_* stats, allocation failures, the  *)
(* partial-IO read, recompression, and a second writeback during one read *)
(* (one writeback per model).                                              *)
(*                                                                         *)
(* Switches (docs/defects/): WB_CTL_UAF, BLK_IDX_LEAK (on in as-released), *)
(* LIMIT_AT_COMPLETION, EARLY_PP_RELEASE, PPS_NOT_OWNED,                   *)
(* COMPLETION_REINIT, NO_PP_RECHECK, READ_BLKIDX_UNLOCKED,                 *)
(* NO_READ_RECHECK (read path, in ZramCommon; on in as-released: it is     *)
(* upstream's read path after 6/6), RB_RECHECK_WB_ONLY (on in mainline:   *)
(* the deferred decompression re-checks ZRAM_WB only, -EIO otherwise),     *)
(* WB_DROPS_SIZE_PRIO (compressed writeback with a completion that clears  *)
(* size and priority), SCAN_IGNORES_MODE (the scan without its flag        *)
(* tests), WB_KEEPS_HUGE_COUNT and WB_DROPS_PAGES_STORED (a mainline       *)
(* completion that forgets huge_pages or drops pages_stored), and the      *)
(* teaching switch LOST_WAKEUP                                             *)
(* (the endio calls wake_up before it publishes the request).              *)
(*                                                                         *)
(* Abstractions (beyond ZramCommon's):                                     *)
(*  - The slot flags the modes read live in slotFlags beside tbl (ZRAM_WB  *)
(*    and ZRAM_PP_SLOT), so ZramCommon's table is unchanged; the          *)
(*    environment's steps update them here (EnvFlags) as slot_free(),     *)
(*    zram_write_page() and mark_slot_accessed() do in the same critical  *)
(*    section.                                                             *)
(*  - idle_reqs and done_reqs are sequences, head first: list_add puts a   *)
(*    request at the head and list_first_entry takes the head, as in C.    *)
(*  - A bio carries its own block, page and slot from submission on; the   *)
(*    device completes it (data on the block, or an error) in the endio's  *)
(*    first step.  bi_status reads 0 (success) until the bio has ended.    *)
(*  - One endio process per request: a request's next bio ends only after  *)
(*    its previous endio has returned.  The endio touches the request only *)
(*    under done_lock, so this only removes interleavings of two endios'   *)
(*    wb_ctl accesses that another request's endio also produces.         *)
(*  - wait_event: prepare_to_wait and the condition check are one step.    *)
(*    The C registers on the queue before it checks; a wake_up that lands  *)
(*    between the two in C finds the waiter registered, and here finds    *)
(*    the condition already published, so no outcome is lost; a wake_up   *)
(*    that does not follow publication (LOST_WAKEUP) is lost in both.      *)
(*  - zram_complete_done_reqs: the pop under done_lock, the completion     *)
(*    under the slot lock, atomic_dec, release_pp_slot and list_add to     *)
(*    idle_reqs are one step.  The pop only races with endios' list_add   *)
(*    (commutes); release_pp_slot's re-lock only clears ZRAM_PP_SLOT,      *)
(*    which anything another process does to the slot in between also     *)
(*    clears (the argument of ZramSingle's next).                          *)
(*  - The limit: no store can land mid-writeback (see above), so limEpoch  *)
(*    stays 0; a refund on bio error also un-counts the page in limPages. *)
(*  - Block numbers: 5/6 makes block 0 usable; INVALID_BDEV_BLOCK is -1.   *)
(*  - No SYMMETRY: the scan visits slots in index order and the block     *)
(*    allocator takes the lowest free block, so neither slots nor blocks   *)
(*    are interchangeable (see docs/batched.md).                           *)
(***************************************************************************)
EXTENDS ZramCommon

CONSTANTS
    ScanTwice,  \* slots a second, overlapping page_indexes= range covers again
    PoolSize,   \* zram->wb_batch_size: requests init_wb_ctl allocates (32 by default)
    Kernel,     \* the kernel whose version-specific code runs: "6.19" or "mainline"
    CompressedWb, \* zram->compressed_wb (mainline only): write back the raw object
    WbMode,     \* writeback_store's mode: "page_indexes" (mode 0, every slot), "idle",
                \*   "huge", "huge_idle" or "incompressible" (type=...)
    HugeSlots,  \* slots stored incompressible before the writeback (ZRAM_HUGE, huge_pages)
    IdleSlots,  \* slots idle_store() marked ZRAM_IDLE before the writeback
    IncompressibleSlots, \* slots recompress_store() left ZRAM_INCOMPRESSIBLE before it
    MarkIdle    \* idle_store() during the run: "none", "all" (echo all > idle) or "aged"
                \*   (echo AGE > idle with an age no slot has reached: ZRAM_IDLE cleared)

ASSUME ScanTwice \subseteq Slots
ASSUME PoolSize \in Nat \ {0}
ASSUME Kernel \in {"6.19", "mainline"}
ASSUME CompressedWb \in BOOLEAN /\ (CompressedWb => Kernel = "mainline")
\* The asynchronous read (ZramCommon's AsyncRead): 6.19 has v6.17's
\* read_from_bdev_async() (bio_chain), mainline the zram_rb_req one; the
\* deferred decompression of compressed writeback is not combined with it.
ASSUME AsyncRead \in {"off", IF Kernel = "mainline" THEN "rbReq" ELSE "chained"}
ASSUME AsyncRead # "off" => ~CompressedWb
ASSUME "limitStore" \notin EnvProcs   \* excluded by init_lock (patch 3/6)
\* One writeback_store() per model: the wb_ctl ghosts (ctlSt, gpWait, the
\* requests' "freed") name one ctl, and a second run would allocate its own
\* while the first one's kfree_rcu() may still be pending (docs/locks.md).
ASSUME WbRuns = 1
ASSUME WbMode \in {"page_indexes", "idle", "huge", "huge_idle", "incompressible"}
ASSUME HugeSlots \cup IdleSlots \cup IncompressibleSlots \subseteq Slots
\* type= scans the whole device and ends the argument list: no second range.
ASSUME WbMode # "page_indexes" => ScanTwice = {}
ASSUME MarkIdle \in {"none", "all", "aged"}

Reqs == 1..PoolSize
NoReq == 0
NoBlock == -1                      \* INVALID_BDEV_BLOCK (~0UL)
NoPps == <<0, 0>>                  \* a pp-slot is <<id, index>>; id = scan position

\* The labels of the writeback task (values of wbPc) and of each request's
\* endio (values of endioPc[r]); TypeOK proves both sets complete.  rcuGp,
\* the end of a grace period, is a step without a pc of its own;
\* readDecompress is a label of the read process (compressed writeback);
\* markIdle is the one label of the process "markIdle" (idle_store()).
WbLabels == {"initWbCtl", "scan", "select", "limitCheck", "selectIdleReq", "waitDone",
             "waitSleep", "reinitCompletion", "completeDoneReqs", "reserveBlock", "readSlot",
             "submitWbRequest", "next", "releaseReq", "releaseBlock", "drainWait",
             "releaseCtl", "releaseWbCtl", "done"}
EndioLabels == {"endioLock", "endioWakeUp", "endioRcuUnlock", "endioDec", "endioComplete"}
OtherSteps == {"rcuGp", "readDecompress", "markIdle"}

\* The labels a step can carry ("done" is where the task rests): zwb reach's
\* rows, printed at start-up; TypeOK holds every step's lastStep to them.
\* (writeback_limit_store cannot run beside a writeback here: see the ASSUME
\* on EnvProcs, so "limitStore" is no step of this design.)
StepLabels == (WbLabels \ {"done"}) \cup EndioLabels \cup OtherSteps \cup (EnvStepLabels \ {"limitStore"})
ASSUME PrintT(<<"zwb-labels", StepLabels>>)

(* The two kernels differ (besides the fixes, which are switches) in:       *)
(*  - zram_writeback_complete: 6.19 calls slot_free() on the slot before    *)
(*    it sets ZRAM_WB and the handle; mainline ("zram: do not slot_free()  *)
(*    written-back slots") only zs_free()s the object and keeps size,       *)
(*    priority, ZRAM_HUGE and the accounting (SlotFreeAtCompletion);        *)
(*  - writeback_store: 6.19 takes init_lock for read, mainline dev_lock for *)
(*    write.  Neither lets a limit store or a second writeback run beside   *)
(*    it; reads, writes, discards and slot-free notifications take only     *)
(*    slot locks in both, so that environment is the same.  Idle marking    *)
(*    (markIdle, MarkIdle # "none") runs beside a 6.19 writeback and only   *)
(*    before or after a mainline one; compaction and the sysfs readers,     *)
(*    which mainline also excludes, touch nothing modelled.                 *)
Mainline == Kernel = "mainline"
SlotFreeAtCompletion == ~Mainline

(* Compressed writeback (mainline, CompressedWb): zram_writeback_slots     *)
(* copies the raw object (read_from_zspool_raw), the completion keeps the  *)
(* slot's size and priority, and a read of a ZRAM_WB slot decompresses     *)
(* what the device returned afterwards, in a work item (zram_rb_req,       *)
(* zram_deferred_decompress -> decompress_bdev_page), with the size and    *)
(* priority the slot holds then.  Abstraction: the object of version v of  *)
(* slot s is named by its page <<s, v>>; wbTag[s] is the size and priority *)
(* a ZRAM_WB slot's table entry holds, named by the object they were       *)
(* recorded for (Zero: size 0, priority 0).  Decompressing bytes with the  *)
(* tag of another object -- another slot's bytes, another version's, or a  *)
(* dropped size -- yields Garbage: a decompressor fed the wrong size,      *)
(* algorithm or input fails or returns wrong bytes; the model takes the   *)
(* wrong bytes, which Reads sees.  ZRAM_HUGE slots (stored raw, returned   *)
(* without decompression) are not modelled.                               *)
Garbage == <<0, -4>>
Decompress(bytes, tag) == IF bytes = tag THEN bytes ELSE Garbage
\* What the completion leaves in the entry's size and priority: kept
\* (mainline), or cleared as slot_free() clears them (WB_DROPS_SIZE_PRIO).
TagAtCompletion(s) == IF On("WB_DROPS_SIZE_PRIO") THEN Zero      \* guard:keep-size-prio
                      ELSE Page(s, tbl[s].ver)

CompletionReinit == On("COMPLETION_REINIT")     \* the v2-v4 completion design
UseRcu == ~On("WB_CTL_UAF")        \* rcu_read_lock in the endio + kfree_rcu(wb_ctl)
LimitAtCompletion == On("LIMIT_AT_COMPLETION")

\* The endio's entry label, where zram_writeback_endio starts once its bio
\* has ended; also the endio's idle state.
EndioEntry == IF CompletionReinit THEN "endioDec"
              ELSE IF On("LOST_WAKEUP") THEN "endioWakeUp" ELSE "endioLock"

\* The writeback task's own.
VARIABLES
    wbPc,          \* program counter of the writeback task
    scanPos,       \* scan_slots_for_writeback: next position in ScanQ
    ppCtl,         \* zram_pp_ctl: the pp-slots still in the buckets
    ppLive,        \* pp-slots allocated (place_pp_slot) and not yet kfree'd
    wbPps,         \* zram_writeback_slots' pps, the pp-slot of this iteration
    wbBlk,         \* its blk_idx, carried across iterations (NoBlock: none)
    wbReq,         \* its req, carried across iterations (NoReq: none)
    wbRet,         \* its ret: "ok", "EIO" (limit), "ENOSPC", "EBIO" (last bio error)
    wbRetPc,       \* where zram_complete_done_reqs returns: "selectIdleReq" or "drainWait"
    idleReqs,      \* wb_ctl->idle_reqs (only the task touches it)
    inflightReqs,  \* COMPLETION_REINIT: wb_ctl->inflight_reqs (list_add_tail; the task)
    wbTag          \* CompressedWb: size and priority of each ZRAM_WB slot (see above)

\* wb_ctl and the requests: the task and the endios (and the grace period).
VARIABLES
    wbWaiting,     \* the task is on done_wait and not yet woken
    doneReqs,      \* wb_ctl->done_reqs (under done_lock)
    numInflight,   \* wb_ctl->num_inflight
    doneCnt,       \* COMPLETION_REINIT: wb_ctl->done, the completion's count
    reqPool,       \* reqPool[r] = [st, blk, pps, data]; st: none|idle|selected|inflight|done|freed
    bio,           \* bio[r] = [st: idle|inflight|ended, blk, data, slot, err]
    ctlSt,         \* wb_ctl: "none", "live", "rcuPending" (kfree_rcu'd), "freed"
    gpWait         \* readers the pending kfree_rcu must wait for

\* The endios' own.
VARIABLES
    endioPc,       \* program counter of request r's endio
    rcuReaders,    \* endios inside rcu_read_lock()
    wbOkSlots      \* ghost: slots one of whose writeback bios ended without error

\* The slot flags the writeback modes select on, and the two statistics
\* that count them (see the section "Slot flags and accounting" below).
VARIABLES
    slotFlags,     \* the flags of zram->table[s] beside ZRAM_WB / ZRAM_PP_SLOT (tbl):
                   \*   a subset of FlagNames; every process writes them under the slot lock
    hugePages,     \* zram->stats.huge_pages
    pagesStored,   \* zram->stats.pages_stored
    idleIdx        \* mark_idle()'s index: the next slot it visits (past the last: returned)

\* The groups frames name.  The task's own: writeback_store's post-processing
\* control, zram_writeback_slots' locals, wb_ctl's lists only it touches.
ppVars == <<scanPos, ppCtl, ppLive>>
loopVars == <<wbPps, wbBlk, wbReq, wbRet, wbRetPc>>
reqListVars == <<idleReqs, inflightReqs>>
taskVars == <<wbPc, ppVars, loopVars, reqListVars, wbTag>>
\* Shared with the endios: how they tell the task (the wait, done_reqs, the
\* count, the completion), the requests and their bios, wb_ctl's lifetime.
doneVars == <<wbWaiting, doneReqs, numInflight, doneCnt>>
reqVars == <<reqPool, bio>>
lifeVars == <<ctlSt, gpWait>>
ctlVars == <<doneVars, reqVars, lifeVars>>
endioVars == <<endioPc, rcuReaders, wbOkSlots>>
wbVars == <<taskVars, ctlVars, endioVars>>
flagVars == <<slotFlags, hugePages, pagesStored, idleIdx>>
vars == <<envVars, wbVars, flagVars>>

(***************************************************************************)
(* Slot flags and accounting.  zram_write_page() stores an incompressible *)
(* page whole and sets ZRAM_HUGE (write_incompressible_page(), huge_pages *)
(* and pages_stored + 1); idle_store() -> mark_idle() sets ZRAM_IDLE on    *)
(* allocated slots that are neither ZRAM_WB nor ZRAM_SAME;                 *)
(* recompress_slot() sets ZRAM_INCOMPRESSIBLE.  mark_slot_accessed()      *)
(* (zram_accessed() in 6.19) clears ZRAM_IDLE; slot_free() clears all     *)
(* three, drops huge_pages for a ZRAM_HUGE slot that is not ZRAM_WB and   *)
(* pages_stored for an allocated slot.  The completion: 6.19 calls        *)
(* slot_free() (HUGE cleared, huge_pages - 1) and adds the page back to   *)
(* pages_stored; mainline clears ZRAM_IDLE, drops huge_pages for a        *)
(* ZRAM_HUGE slot and keeps ZRAM_HUGE (decompress_bdev_page() returns a   *)
(* ZRAM_HUGE page without decompressing it) and pages_stored.  So in both *)
(* kernels huge_pages counts the ZRAM_HUGE slots that are not ZRAM_WB     *)
(* (HugePagesAccounted) and pages_stored the allocated slots, those on   *)
(* the device included (PagesStoredAccounted).                           *)
(*                                                                         *)
(* Environment: the flags a slot has when the writeback starts are the    *)
(* constants HugeSlots, IdleSlots and IncompressibleSlots; the model's    *)
(* write stores a compressible page.  In mainline idle_store() and        *)
(* recompress_store() wait for the writeback (dev_lock for write); in     *)
(* 6.19 idle_store() runs beside it: the process markIdle below.          *)
(*                                                                         *)
(* The mode: scan_slots_for_writeback() places an allocated slot that is  *)
(* neither ZRAM_WB nor ZRAM_SAME, and with IDLE_WRITEBACK only if         *)
(* ZRAM_IDLE, HUGE_WRITEBACK only if ZRAM_HUGE, INCOMPRESSIBLE_WRITEBACK   *)
(* only if ZRAM_INCOMPRESSIBLE.  type= scans the whole device, index 0    *)
(* first: the model's slot 0 is never written (Slots start at 1), so its  *)
(* scan step places nothing.                                               *)
(***************************************************************************)
FlagNames == {"ZRAM_IDLE", "ZRAM_HUGE", "ZRAM_INCOMPRESSIBLE"}
InitSlotFlags(s) ==
    (IF s \in HugeSlots THEN {"ZRAM_HUGE"} ELSE {}) \cup
    (IF s \in IdleSlots THEN {"ZRAM_IDLE"} ELSE {}) \cup
    (IF s \in IncompressibleSlots THEN {"ZRAM_INCOMPRESSIBLE"} ELSE {})
TestSlotFlag(s, f) == f \in slotFlags[s]

ModeIdle == WbMode \in {"idle", "huge_idle"}
ModeHuge == WbMode \in {"huge", "huge_idle"}
ModeIncompressible == WbMode = "incompressible"
MatchesMode(s) ==
    /\ ModeIdle => TestSlotFlag(s, "ZRAM_IDLE")
    /\ ModeHuge => TestSlotFlag(s, "ZRAM_HUGE")
    /\ ModeIncompressible => TestSlotFlag(s, "ZRAM_INCOMPRESSIBLE")

\* slot_free()'s part in the flags and the statistics.
SlotFreeFlags(s) ==
    /\ slotFlags' = [slotFlags EXCEPT ![s] = {}]
    /\ hugePages' = IF TestSlotFlag(s, "ZRAM_HUGE") /\ ~TestFlag(s, "ZRAM_WB")
                    THEN hugePages - 1 ELSE hugePages
    /\ pagesStored' = IF Allocated(s) THEN pagesStored - 1 ELSE pagesStored
    /\ UNCHANGED idleIdx

\* zram_writeback_complete() on a slot that is still ZRAM_PP_SLOT.  6.19 (and
\* WB_DROPS_SIZE_PRIO, the same completion) call slot_free() and count the
\* page stored again; mainline keeps ZRAM_HUGE and pages_stored.
\* WB_KEEPS_HUGE_COUNT forgets huge_pages; WB_DROPS_PAGES_STORED drops
\* pages_stored as slot_free() did.
WbCompleteFlags(s) ==
    IF SlotFreeAtCompletion \/ On("WB_DROPS_SIZE_PRIO")
    THEN /\ slotFlags' = [slotFlags EXCEPT ![s] = {}]
         /\ hugePages' = IF TestSlotFlag(s, "ZRAM_HUGE") THEN hugePages - 1 ELSE hugePages
         /\ UNCHANGED <<pagesStored, idleIdx>>
    ELSE /\ slotFlags' = [slotFlags EXCEPT ![s] = @ \ {"ZRAM_IDLE"}]
         /\ hugePages' = IF TestSlotFlag(s, "ZRAM_HUGE") /\ ~On("WB_KEEPS_HUGE_COUNT") \* guard:huge-count
                         THEN hugePages - 1 ELSE hugePages
         /\ pagesStored' = IF On("WB_DROPS_PAGES_STORED") THEN pagesStored - 1      \* guard:pages-stored
                           ELSE pagesStored
         /\ UNCHANGED idleIdx

\* What an environment step of p does to the flags and statistics (the slot
\* is envSlot'[p]: chosen in this step or before).
EnvFlags(p) ==
    LET s == envSlot'[p] IN
    CASE envPc[p] = "freeNotify" /\ LockFree(s) -> SlotFreeFlags(s)
      [] envPc[p] = "discard" -> SlotFreeFlags(s)
      [] envPc[p] = "writeInstall" ->
            /\ slotFlags' = [slotFlags EXCEPT ![s] = {}]
            /\ hugePages' = IF TestSlotFlag(s, "ZRAM_HUGE") /\ ~TestFlag(s, "ZRAM_WB")
                            THEN hugePages - 1 ELSE hugePages
            /\ pagesStored' = IF Allocated(s) THEN pagesStored ELSE pagesStored + 1
            /\ UNCHANGED idleIdx
      [] envPc[p] \in {"readAccessed", "writeAccessed"} ->
            /\ slotFlags' = [slotFlags EXCEPT ![s] = @ \ {"ZRAM_IDLE"}]
            /\ UNCHANGED <<hugePages, pagesStored, idleIdx>>
      [] OTHER -> UNCHANGED flagVars

(***************************************************************************)
(* idle_store() -> mark_idle(), the process "markIdle" (MarkIdle # "none"): *)
(* the device lock for read (6.19: init_lock; mainline: dev_lock), then    *)
(* for index in [0, nr_pages): slot lock; a slot not allocated, ZRAM_WB or *)
(* ZRAM_SAME is skipped; else is_idle sets ZRAM_IDLE and !is_idle clears  *)
(* it; slot unlock.  It does not look at ZRAM_PP_SLOT.  One step per      *)
(* index (label markIdle): the test and the set happen under the slot     *)
(* lock, and every other reader or writer of a slot's flags (the scan,    *)
(* the completion, the I/O paths) takes that lock, so nothing can land    *)
(* between them; its first step also takes the device lock, its last     *)
(* drops it.  is_idle: idle_store("all") passes no cutoff (always idle);   *)
(* "aged" is an age no slot has reached (ac_time not modelled: every      *)
(* access is newer than the cutoff), so it clears ZRAM_IDLE everywhere.   *)
(* ZRAM_SAME is not modelled.  The lock context decides when it runs:     *)
(* 6.19's writeback holds init_lock for read, so mark_idle() runs at any   *)
(* moment of it; mainline's holds dev_lock for write from writeback_store()*)
(* until it returns (WbHoldsDevLock), so mark_idle() runs wholly before or *)
(* after it, and a writeback that finds mark_idle() inside waits for it.   *)
(***************************************************************************)
IdleEnd == 1 + CHOOSE m \in Slots : \A t \in Slots : t <= m   \* nr_pages: slots 0..max
IdleRunning == idleIdx \in 1..(IdleEnd - 1)     \* past its first step, before its last
WbHoldsDevLock == wbPc \notin {"initWbCtl", "done"}
\* The device lock: mainline's writeback takes it for write, mark_idle() for read.
DevLockFreeForIdle == ~(Mainline /\ idleIdx = 0 /\ WbHoldsDevLock)     \* guard:dev-lock-idle
DevLockFreeForWb == ~(Mainline /\ IdleRunning)                         \* guard:dev-lock-wb

markIdle ==
    LET s == idleIdx IN
    /\ idleIdx < IdleEnd
    /\ DevLockFreeForIdle
    /\ s \in Slots => LockFree(s)
    /\ IF s \in Slots /\ Allocated(s) /\ ~TestFlag(s, "ZRAM_WB")
       THEN slotFlags' = [slotFlags EXCEPT ![s] =
                            IF MarkIdle = "all" THEN @ \cup {"ZRAM_IDLE"} ELSE @ \ {"ZRAM_IDLE"}]
       ELSE UNCHANGED slotFlags
    /\ idleIdx' = idleIdx + 1
    /\ UNCHANGED <<hugePages, pagesStored, envVars, wbVars>>

\* type= scans [0, nr_pages); page_indexes= the ranges given.
ScanQ == IF WbMode = "page_indexes" THEN ScanOrder(ScanTwice) ELSE <<0>> \o SortedSeq(Slots)
PpsSlot == wbPps[2]

TypeOK ==
    /\ EnvTypeOKWith({"readDecompress"})
    /\ wbPc \in WbLabels
    /\ StepTypeOK(StepLabels)
    /\ \A r \in Reqs : endioPc[r] \in EndioLabels
    /\ wbBlk \in {NoBlock} \cup DiskBlocks
    /\ wbReq \in {NoReq} \cup Reqs
    /\ ppCtl \subseteq ppLive
    /\ ppLive \subseteq (1..Len(ScanQ)) \X Slots
    /\ ctlSt \in {"none", "live", "rcuPending", "freed"}
    /\ numInflight \in 0..PoolSize
    /\ \A r \in Reqs :
         /\ reqPool[r].st \in {"none", "idle", "selected", "inflight", "done", "freed"}
         /\ bio[r].st \in {"idle", "inflight", "ended"}
    /\ rcuReaders \subseteq Reqs /\ gpWait \subseteq rcuReaders
    /\ ~CompressedWb => wbTag = [s \in Slots |-> Zero]
    /\ \A s \in Slots : slotFlags[s] \subseteq FlagNames
    /\ hugePages \in Int /\ pagesStored \in Int
    /\ idleIdx \in 0..IdleEnd

Init ==
    /\ EnvInit
    /\ wbPc = "initWbCtl"
    /\ scanPos = 1
    /\ ppCtl = {}
    /\ ppLive = {}
    /\ wbPps = NoPps
    /\ wbBlk = NoBlock
    /\ wbReq = NoReq
    /\ wbRet = "ok"
    /\ wbRetPc = "selectIdleReq"
    /\ wbWaiting = FALSE
    /\ ctlSt = "none"
    /\ idleReqs = <<>>
    /\ doneReqs = <<>>
    /\ inflightReqs = <<>>
    /\ numInflight = 0
    /\ doneCnt = 0
    /\ reqPool = [r \in Reqs |-> [st |-> "none", blk |-> NoBlock, pps |-> NoPps, data |-> Zero]]
    /\ bio = [r \in Reqs |-> [st |-> "idle", blk |-> NoBlock, data |-> Zero,
                              slot |-> 0, err |-> FALSE]]
    /\ endioPc = [r \in Reqs |-> EndioEntry]
    /\ rcuReaders = {}
    /\ gpWait = {}
    /\ wbOkSlots = {}
    /\ wbTag = [s \in Slots |-> Zero]
    /\ slotFlags = [s \in Slots |-> InitSlotFlags(s)]
    /\ hugePages = Cardinality(HugeSlots)
    /\ pagesStored = Cardinality(Slots)
    /\ idleIdx = IF MarkIdle = "none" THEN IdleEnd ELSE 0

-----------------------------------------------------------------------------
(* writeback_store() (6.19): down_read(init_lock), atomic_xchg(            *)
(* pp_in_progress) -- one post-processing at a time (7.0+: init_lock for   *)
(* write) -- init_pp_ctl(), then init_wb_ctl(): kmalloc the ctl, both      *)
(* lists empty, num_inflight = 0, waitqueue, done_lock, and wb_batch_size  *)
(* requests list_add'ed to idle_reqs (allocation failures not modelled).   *)
initWbCtl ==
    /\ wbPc = "initWbCtl"
    /\ DevLockFreeForWb
    /\ ctlSt' = "live"
    /\ idleReqs' = [i \in 1..PoolSize |-> PoolSize + 1 - i]
    /\ reqPool' = [r \in Reqs |-> [reqPool[r] EXCEPT !.st = "idle"]]
    /\ wbPc' = "scan"
    /\ UNCHANGED <<flagVars, envVars, endioVars, ppVars, loopVars, doneVars, inflightReqs, wbTag, bio,
                   gpWait>>

(* scan_slots_for_writeback(), once per page_indexes= argument: under the  *)
(* slot lock, an allocated slot that is not ZRAM_WB gets a pp-slot and     *)
(* ZRAM_PP_SLOT (place_pp_slot).  ZRAM_PP_SLOT is not looked at, so an     *)
(* index repeated in ScanQ is placed twice.                                *)
scan ==
    LET s == ScanQ[scanPos] IN
    /\ wbPc = "scan"
    /\ s \in Slots => LockFree(s)
    /\ IF /\ s \in Slots
          /\ Allocated(s) /\ ~TestFlag(s, "ZRAM_WB")
          /\ MatchesMode(s) \/ On("SCAN_IGNORES_MODE")                \* guard:scan-mode
       THEN /\ ppCtl' = ppCtl \cup {<<scanPos, s>>}
            /\ ppLive' = ppLive \cup {<<scanPos, s>>}
            /\ tbl' = [tbl EXCEPT ![s].flags = @ \cup {"ZRAM_PP_SLOT"}]
       ELSE UNCHANGED <<flagVars, ppCtl, ppLive, tbl>>
    /\ scanPos' = scanPos + 1
    /\ wbPc' = IF scanPos = Len(ScanQ) THEN "select" ELSE "scan"
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, ctlVars, loopVars, reqListVars, wbTag,
                   slotLock, bitmap, disk>>

(* while ((pps = select_pp_slot(ctl))): any Selectable pp-slot may be next *)
(* (ZramCommon: the bucket order up to sizes).  None left: leave the loop. *)
select ==
    /\ wbPc = "select"
    /\ IF ppCtl = {}
       THEN wbPc' = "releaseReq" /\ UNCHANGED wbPps
       ELSE \E pps \in Selectable(ppCtl) : wbPps' = pps /\ wbPc' = "limitCheck"
    /\ UNCHANGED <<flagVars, envVars, endioVars, ctlVars, ppVars, reqListVars, wbTag, wbBlk, wbReq,
                   wbRet, wbRetPc>>

(* if (zram->wb_limit_enable && !zram->bd_wb_limit) { ret = -EIO; break; } *)
(* No lock since 4/6: only this task writes bd_wb_limit during writeback.  *)
limitCheck ==
    /\ wbPc = "limitCheck"
    /\ IF WbLimitEnable /\ bdLimit = 0
       THEN wbRet' = "EIO" /\ wbPc' = "releaseReq"
       ELSE wbPc' = "selectIdleReq" /\ UNCHANGED wbRet
    /\ UNCHANGED <<flagVars, envVars, endioVars, ctlVars, ppVars, reqListVars, wbTag, wbPps, wbBlk,
                   wbReq, wbRetPc>>

(* while (!req) { req = zram_select_idle_req(wb_ctl); if (req) break;      *)
(*   wait_event(...); err = zram_complete_done_reqs(); ... }               *)
(* A request kept from a next: iteration is used again.                    *)
selectIdleReq ==
    /\ wbPc = "selectIdleReq"
    /\ IF wbReq # NoReq
       THEN wbPc' = "reserveBlock" /\ UNCHANGED <<flagVars, wbReq, idleReqs, reqPool, wbRetPc>>
       ELSE IF idleReqs # <<>>
       THEN /\ wbReq' = Head(idleReqs)
            /\ idleReqs' = Tail(idleReqs)
            /\ reqPool' = [reqPool EXCEPT ![Head(idleReqs)].st = "selected"]
            /\ wbPc' = "reserveBlock"
            /\ UNCHANGED wbRetPc
       ELSE /\ wbPc' = "waitDone"
            /\ wbRetPc' = "selectIdleReq"
            /\ UNCHANGED <<flagVars, wbReq, idleReqs, reqPool>>
    /\ UNCHANGED <<flagVars, envVars, endioVars, doneVars, lifeVars, bio, ppVars, inflightReqs, wbTag,
                   wbPps, wbBlk, wbRet>>

(* wait_event(wb_ctl->done_wait, !list_empty(&wb_ctl->done_reqs)): the     *)
(* condition holds -> go on; else sleep on done_wait (see the header for   *)
(* why registering and checking are one step).                             *)
waitDone ==
    /\ wbPc = "waitDone"
    /\ ~CompletionReinit
    /\ IF doneReqs # <<>>
       THEN wbPc' = "completeDoneReqs" /\ UNCHANGED wbWaiting
       ELSE wbPc' = "waitSleep" /\ wbWaiting' = TRUE
    /\ UNCHANGED <<flagVars, envVars, endioVars, reqVars, lifeVars, ppVars, loopVars, reqListVars, wbTag,
                   doneReqs, numInflight, doneCnt>>

(* schedule() in wait_event: runs again only once a wake_up took it off    *)
(* the queue, then re-checks the condition.                                *)
waitSleep ==
    /\ wbPc = "waitSleep"
    /\ ~wbWaiting
    /\ wbPc' = "waitDone"
    /\ UNCHANGED <<flagVars, envVars, endioVars, ctlVars, ppVars, loopVars, reqListVars, wbTag>>

(* zram_writeback_complete(req) then release_pp_slot(req->pps) and         *)
(* req->pps = NULL.  bi_status is 0 until the bio has ended.               *)
(*  error: zram_account_writeback_rollback (refund), release the block.    *)
(*  success: bd_writes++; slot_lock; !ZRAM_PP_SLOT -> the slot changed     *)
(*    under us: release the block; else (6.19) slot_free(), or (mainline)  *)
(*    clear ZRAM_IDLE, zs_free() the object, keep size and priority; then  *)
(*    handle = blk_idx, ZRAM_WB; slot_unlock.  A ZRAM_PP_SLOT slot is not  *)
(*    ZRAM_WB (the scan skips those), so slot_free() releases no block     *)
(*    here and the two leave the same table and bitmap in this model: the  *)
(*    difference shows once size and priority are read back (compressed   *)
(*    writeback).                                                          *)
(* release_pp_slot: list_del_init, clear ZRAM_PP_SLOT under the slot lock, *)
(* kfree(pps).  EARLY_PP_RELEASE (v3) releases the pp-slot before the      *)
(* test; NO_PP_RECHECK drops the test; LIMIT_AT_COMPLETION charges the     *)
(* limit here on success instead of before submission.                     *)
CompleteReq(r) ==
    LET p   == reqPool[r].pps
        s   == p[2]
        b   == reqPool[r].blk
        err == bio[r].st = "ended" /\ bio[r].err
        stillPpSlot == ~On("EARLY_PP_RELEASE") /\ TestFlag(s, "ZRAM_PP_SLOT")
    IN
    /\ LockFree(s)
    /\ IF err
       THEN /\ bdLimit' = IF WbLimitEnable /\ ~LimitAtCompletion THEN bdLimit + 1 ELSE bdLimit
            /\ limPages' = IF LimitAtCompletion THEN limPages ELSE limPages - 1
            /\ bitmap' = bitmap \ {b}
            /\ tbl' = [tbl EXCEPT ![s].flags = @ \ {"ZRAM_PP_SLOT"}]
            /\ wbRet' = "EBIO"
            /\ UNCHANGED <<wbTag, flagVars>>
       ELSE /\ IF LimitAtCompletion THEN ChargeLimit(limEpoch) ELSE UNCHANGED <<bdLimit, limPages>>
            /\ UNCHANGED wbRet
            /\ IF ~On("NO_PP_RECHECK") /\ ~stillPpSlot                  \* guard:pp-recheck
               THEN /\ bitmap' = bitmap \ {b}
                    /\ tbl' = [tbl EXCEPT ![s].flags = @ \ {"ZRAM_PP_SLOT"}]
                    /\ UNCHANGED <<wbTag, flagVars>>
               ELSE /\ bitmap' = IF SlotFreeAtCompletion       \* 6.19: slot_free()
                                 THEN FreePageBitmap(tbl, bitmap, s)
                                 ELSE bitmap                  \* mainline: zs_free() only
                    /\ tbl' = [tbl EXCEPT ![s] =
                                  [flags |-> {"ZRAM_WB"}, handle |-> b, ver |-> 0]]
                    /\ wbTag' = IF CompressedWb
                                THEN [wbTag EXCEPT ![s] = TagAtCompletion(s)]
                                ELSE wbTag
                    /\ WbCompleteFlags(s)
    /\ ppCtl' = ppCtl \ {p}
    /\ ppLive' = ppLive \ {p}

\* zram_complete_done_reqs() (or, v2-v4, zram_wb_wait_for_completion()) has
\* nothing left to complete: back to its caller.
CompleteReqsReturn ==
    /\ wbPc' = wbRetPc
    /\ UNCHANGED <<flagVars, limitVars, reqListVars, wbTag, tbl, bitmap, wbRet, ppCtl, ppLive, reqPool,
                   doneReqs, numInflight>>

\* What every step of the completion loop leaves alone.
CompleteReqsFrame ==
    UNCHANGED <<envOwn, endioVars, lifeVars, bio, slotLock, disk, scanPos, wbPps, wbBlk, wbReq,
                wbRetPc, wbWaiting, doneCnt>>

(* zram_complete_done_reqs(): while (atomic_read(num_inflight) > 0): pop   *)
(* the head of done_reqs under done_lock; none -> break; complete it;      *)
(* atomic_dec(num_inflight); release_pp_slot; list_add(idle_reqs).         *)
completeDoneReqs ==
    /\ wbPc = "completeDoneReqs"
    /\ ~CompletionReinit
    /\ IF numInflight > 0 /\ doneReqs # <<>>
       THEN LET r == Head(doneReqs) IN
            /\ CompleteReq(r)
            /\ doneReqs' = Tail(doneReqs)
            /\ numInflight' = numInflight - 1
            /\ idleReqs' = <<r>> \o idleReqs
            /\ reqPool' = [reqPool EXCEPT ![r] = [@ EXCEPT !.st = "idle", !.pps = NoPps]]
            /\ UNCHANGED <<wbPc, inflightReqs>>
       ELSE CompleteReqsReturn
    /\ CompleteReqsFrame

(* if (blk_idx == INVALID_BDEV_BLOCK) blk_idx = zram_reserve_bdev_block(): *)
(* find_next_zero_bit from 0 and set_bit (no retry: the only setter);      *)
(* none left -> ret = -ENOSPC; break.                                      *)
reserveBlock ==
    /\ wbPc = "reserveBlock"
    /\ IF wbBlk # NoBlock
       THEN wbPc' = "readSlot" /\ UNCHANGED <<flagVars, bitmap, wbBlk, wbRet>>
       ELSE LET b == LowestFree(DiskBlocks) IN
            IF b = -1
            THEN /\ wbRet' = "ENOSPC"
                 /\ wbPc' = "releaseReq"
                 /\ UNCHANGED <<flagVars, bitmap, wbBlk>>
            ELSE /\ bitmap' = bitmap \cup {b}
                 /\ wbBlk' = b
                 /\ wbPc' = "readSlot"
                 /\ UNCHANGED wbRet
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, ctlVars, ppVars, reqListVars, wbTag, tbl,
                   slotLock, disk, wbPps, wbReq, wbRetPc>>

(* index = pps->index; slot_lock(index); if (!ZRAM_PP_SLOT) goto next      *)
(* (lock held); read_from_zspool(req->page); slot_unlock().                *)
readSlot ==
    /\ wbPc = "readSlot"
    /\ LockFree(PpsSlot)
    /\ IF ~TestFlag(PpsSlot, "ZRAM_PP_SLOT")
       THEN /\ slotLock' = [slotLock EXCEPT ![PpsSlot] = "wb"]
            /\ wbPc' = "next"
            /\ UNCHANGED reqPool
       ELSE /\ reqPool' = [reqPool EXCEPT ![wbReq].data = Page(PpsSlot, tbl[PpsSlot].ver)]
            /\ wbPc' = "submitWbRequest"
            /\ UNCHANGED slotLock
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, doneVars, lifeVars, bio, ppVars, loopVars,
                   reqListVars, wbTag, tbl, bitmap, disk>>

(* list_del_init(&pps->entry) ("from now on pp-slot is owned by the req";  *)
(* PPS_NOT_OWNED, v1, leaves it in its bucket); req->blk_idx, req->pps,    *)
(* bio_init(REQ_OP_WRITE), sector, bi_end_io, the page;                    *)
(* zram_submit_wb_request(): zram_account_writeback_submit (charge, unless *)
(* LIMIT_AT_COMPLETION), atomic_inc(num_inflight), bi_private = wb_ctl,    *)
(* submit_bio (COMPLETION_REINIT: also list_add_tail(inflight_reqs));      *)
(* then blk_idx = INVALID_BDEV_BLOCK; req = NULL.                          *)
submitWbRequest ==
    LET r == wbReq IN
    /\ wbPc = "submitWbRequest"
    /\ ppCtl' = IF On("PPS_NOT_OWNED") THEN ppCtl ELSE ppCtl \ {wbPps}
    /\ reqPool' = [reqPool EXCEPT ![r] = [@ EXCEPT !.st = "inflight", !.blk = wbBlk, !.pps = wbPps]]
    /\ bio' = [bio EXCEPT ![r] = [st |-> "inflight", blk |-> wbBlk, data |-> reqPool[r].data,
                                  slot |-> PpsSlot, err |-> FALSE]]
    /\ IF LimitAtCompletion THEN UNCHANGED <<flagVars, bdLimit, limPages>> ELSE ChargeLimit(limEpoch)
    /\ numInflight' = numInflight + 1
    /\ inflightReqs' = IF CompletionReinit THEN Append(inflightReqs, r) ELSE inflightReqs
    /\ wbBlk' = NoBlock
    /\ wbReq' = NoReq
    /\ wbPc' = "select"
    /\ UNCHANGED <<flagVars, tableVars, envOwn, endioVars, lifeVars, wbTag, scanPos, ppLive, wbPps,
                   wbRet, wbRetPc, idleReqs, wbWaiting, doneReqs, doneCnt>>

(* next: slot_unlock(index); release_pp_slot(pps).  blk_idx and req are    *)
(* kept for the next iteration.  Unlock and release_pp_slot's re-lock are  *)
(* one step (as in ZramSingle).                                            *)
next ==
    /\ wbPc = "next"
    /\ slotLock' = [slotLock EXCEPT ![PpsSlot] = NoOwner]
    /\ tbl' = [tbl EXCEPT ![PpsSlot].flags = @ \ {"ZRAM_PP_SLOT"}]
    /\ ppCtl' = ppCtl \ {wbPps}
    /\ ppLive' = ppLive \ {wbPps}
    /\ wbPc' = "select"
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, ctlVars, loopVars, reqListVars, wbTag,
                   scanPos, bitmap, disk>>

(* After the loop: "Selected idle req, but never submitted it":            *)
(* if (req) release_wb_req(req) (free its page and the request).           *)
releaseReq ==
    /\ wbPc = "releaseReq"
    /\ reqPool' = IF wbReq # NoReq THEN [reqPool EXCEPT ![wbReq].st = "freed"] ELSE reqPool
    /\ wbReq' = NoReq
    /\ wbPc' = "releaseBlock"
    /\ UNCHANGED <<flagVars, envVars, endioVars, doneVars, lifeVars, bio, ppVars, reqListVars, wbTag,
                   wbPps, wbBlk, wbRet, wbRetPc>>

(* if (blk_idx != INVALID_BDEV_BLOCK) zram_release_bdev_block(blk_idx)     *)
(* (commit 3e8d8eb8d7f5).  BLK_IDX_LEAK (v6.19) has no such line: the      *)
(* local blk_idx dies with the return, its bit stays set.                  *)
releaseBlock ==
    /\ wbPc = "releaseBlock"
    /\ bitmap' = IF wbBlk # NoBlock /\ ~On("BLK_IDX_LEAK")   \* guard:release-carried
                 THEN bitmap \ {wbBlk} ELSE bitmap
    /\ wbBlk' = NoBlock
    /\ wbPc' = "drainWait"
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, ctlVars, ppVars, reqListVars, wbTag, tbl,
                   slotLock, disk, wbPps, wbReq, wbRet, wbRetPc>>

(* while (atomic_read(&num_inflight) > 0) { wait_event(...);               *)
(*   err = zram_complete_done_reqs(); ... }                                *)
drainWait ==
    /\ wbPc = "drainWait"
    /\ ~CompletionReinit
    /\ IF numInflight > 0
       THEN wbPc' = "waitDone" /\ wbRetPc' = "drainWait"
       ELSE wbPc' = "releaseCtl" /\ UNCHANGED wbRetPc
    /\ UNCHANGED <<flagVars, envVars, endioVars, ctlVars, ppVars, reqListVars, wbTag, wbPps, wbBlk, wbReq,
                   wbRet>>

(* writeback_store: release_pp_ctl() releases every pp-slot left in the    *)
(* buckets (release_pp_slot: clear ZRAM_PP_SLOT under the lock, kfree).    *)
releaseCtl ==
    /\ wbPc = "releaseCtl"
    /\ IF ppCtl = {}
       THEN wbPc' = "releaseWbCtl" /\ UNCHANGED <<flagVars, tbl, ppCtl, ppLive>>
       ELSE LET pps == CHOOSE x \in ppCtl : TRUE IN
            /\ LockFree(pps[2])
            /\ tbl' = [tbl EXCEPT ![pps[2]].flags = @ \ {"ZRAM_PP_SLOT"}]
            /\ ppCtl' = ppCtl \ {pps}
            /\ ppLive' = ppLive \ {pps}
            /\ wbPc' = "releaseCtl"
    /\ UNCHANGED <<flagVars, limitVars, envOwn, endioVars, ctlVars, loopVars, reqListVars, wbTag,
                   scanPos, slotLock, bitmap, disk>>

(* release_wb_ctl(): WARN_ON(num_inflight), WARN_ON(!list_empty(done_reqs))*)
(* (AllBiosAccounted), release_wb_req() for every request on idle_reqs,    *)
(* then kfree_rcu(wb_ctl, rcu) (bf62f69574b1) -- the free waits for every  *)
(* RCU reader inside now -- or kfree(wb_ctl) (WB_CTL_UAF, v6.19).  Then    *)
(* pp_in_progress = 0, up_read(init_lock), return.                         *)
releaseWbCtl ==
    /\ wbPc = "releaseWbCtl"
    /\ reqPool' = [r \in Reqs |-> IF r \in {idleReqs[i] : i \in 1..Len(idleReqs)}
                              THEN [reqPool[r] EXCEPT !.st = "freed"] ELSE reqPool[r]]
    /\ idleReqs' = <<>>
    /\ IF UseRcu
       THEN ctlSt' = "rcuPending" /\ gpWait' = rcuReaders
       ELSE ctlSt' = "freed" /\ UNCHANGED gpWait
    /\ wbPc' = "done"
    /\ UNCHANGED <<flagVars, envVars, endioVars, doneVars, bio, ppVars, loopVars, inflightReqs, wbTag>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* The endio of request r.  Its first step is the backing device ending    *)
(* the bio -- the page lands on the block, or (BioErrors) bi_status is an  *)
(* error and the block keeps what it had -- and the start of               *)
(* zram_writeback_endio (rcu_read_lock when UseRcu).                       *)
(***************************************************************************)
BioEnds(r) ==
    /\ bio[r].st = "inflight"
    /\ \/ /\ disk' = [disk EXCEPT ![bio[r].blk] = bio[r].data]
          /\ bio' = [bio EXCEPT ![r].st = "ended", ![r].err = FALSE]
          /\ wbOkSlots' = wbOkSlots \cup {bio[r].slot}
       \/ /\ BioErrors
          /\ bio' = [bio EXCEPT ![r].st = "ended", ![r].err = TRUE]
          /\ UNCHANGED <<flagVars, disk, wbOkSlots>>
    /\ rcuReaders' = IF UseRcu THEN rcuReaders \cup {r} ELSE rcuReaders

\* A later step of the endio: the bio ended at its entry step.
BioEndedEarlier(r) == UNCHANGED <<flagVars, bio, disk, wbOkSlots, rcuReaders>>

\* Where the endio goes once it has nothing left to do on wb_ctl.
EndioTail == IF UseRcu THEN "endioRcuUnlock" ELSE EndioEntry

(* spin_lock_irqsave(done_lock); list_add(&req->entry, &done_reqs);        *)
(* spin_unlock_irqrestore().  After the unlock the endio no longer         *)
(* touches req.  LOST_WAKEUP runs this after the wake_up.                  *)
endioLock(r) ==
    /\ endioPc[r] = "endioLock"
    /\ IF EndioEntry = "endioLock" THEN BioEnds(r) ELSE BioEndedEarlier(r)
    /\ doneReqs' = <<r>> \o doneReqs
    /\ reqPool' = [reqPool EXCEPT ![r].st = "done"]
    /\ endioPc' = [endioPc EXCEPT ![r] =
                     IF On("LOST_WAKEUP") THEN EndioTail ELSE "endioWakeUp"]
    /\ UNCHANGED <<flagVars, limitVars, envOwn, taskVars, lifeVars, tbl, slotLock, bitmap, wbWaiting,
                   numInflight, doneCnt>>

(* wake_up(&wb_ctl->done_wait): takes the waitqueue lock inside wb_ctl and *)
(* wakes the task if it sleeps there.  A wake_up with nobody on the queue  *)
(* is lost.                                                                *)
endioWakeUp(r) ==
    /\ endioPc[r] = "endioWakeUp"
    /\ IF EndioEntry = "endioWakeUp" THEN BioEnds(r) ELSE BioEndedEarlier(r)
    /\ wbWaiting' = FALSE
    /\ endioPc' = [endioPc EXCEPT ![r] =
                     IF On("LOST_WAKEUP") THEN "endioLock" ELSE EndioTail]
    /\ UNCHANGED <<flagVars, limitVars, envOwn, taskVars, lifeVars, tbl, slotLock, bitmap, doneReqs,
                   numInflight, doneCnt, reqPool>>

(* rcu_read_unlock() (bf62f69574b1): the end of the read-side section.     *)
endioRcuUnlock(r) ==
    /\ endioPc[r] = "endioRcuUnlock"
    /\ rcuReaders' = rcuReaders \ {r}
    /\ gpWait' = gpWait \ {r}
    /\ endioPc' = [endioPc EXCEPT ![r] = EndioEntry]
    /\ UNCHANGED <<flagVars, envVars, taskVars, doneVars, reqVars, ctlSt, wbOkSlots>>

(* The RCU grace period: once no reader that was inside rcu_read_lock()    *)
(* at kfree_rcu() time is still inside, the callback frees wb_ctl.         *)
rcuGp ==
    /\ ctlSt = "rcuPending"
    /\ gpWait = {}
    /\ ctlSt' = "freed"
    /\ UNCHANGED <<flagVars, envVars, taskVars, endioVars, doneVars, reqVars, gpWait>>

-----------------------------------------------------------------------------
(***************************************************************************)
(* The v2-v4 completion design (COMPLETION_REINIT), from the v4 1/6 patch: *)
(* zram_submit_wb_request() also list_add_tail()s the request to           *)
(* inflight_reqs (submitWbRequest); the endio decrements num_inflight and  *)
(* the last one complete()s wb_ctl->done; zram_wb_wait_for_completion()    *)
(* waits on it, re-initialises it and completes every request on           *)
(* inflight_reqs, ended or not.  These actions run instead of the merged   *)
(* design's under its labels waitDone, completeDoneReqs and drainWait,     *)
(* and under their own: reinitCompletion, endioDec, endioComplete.         *)
(***************************************************************************)

(* zram_wb_wait_for_completion(): if (atomic_read(num_inflight))           *)
(* wait_for_completion_io(&done) -- blocks until done's count is positive  *)
(* and consumes one; 0 in flight skips it.                                 *)
waitForCompletion ==
    /\ wbPc = "waitDone"
    /\ CompletionReinit
    /\ IF numInflight = 0
       THEN UNCHANGED doneCnt
       ELSE doneCnt > 0 /\ doneCnt' = doneCnt - 1
    /\ wbPc' = "reinitCompletion"
    /\ UNCHANGED <<flagVars, envVars, endioVars, reqVars, lifeVars, ppVars, loopVars, reqListVars, wbTag,
                   wbWaiting, doneReqs, numInflight>>

(* reinit_completion(&wb_ctl->done), then every request on inflight_reqs  *)
(* is treated as finished.                                                 *)
reinitCompletion ==
    /\ wbPc = "reinitCompletion"
    /\ doneCnt' = 0
    /\ wbPc' = "completeDoneReqs"
    /\ UNCHANGED <<flagVars, envVars, endioVars, reqVars, lifeVars, ppVars, loopVars, reqListVars, wbTag,
                   wbWaiting, doneReqs, numInflight>>

(* Then while (!list_empty(inflight_reqs)): list_move the head to          *)
(* idle_reqs, complete it, release_pp_slot -- whether or not its bio has   *)
(* ended; the endio decrements num_inflight.                               *)
completeInflightReqs ==
    /\ wbPc = "completeDoneReqs"
    /\ CompletionReinit
    /\ IF inflightReqs # <<>>
       THEN LET r == Head(inflightReqs) IN
            /\ CompleteReq(r)
            /\ inflightReqs' = Tail(inflightReqs)
            /\ idleReqs' = <<r>> \o idleReqs
            /\ reqPool' = [reqPool EXCEPT ![r] = [@ EXCEPT !.st = "idle", !.pps = NoPps]]
            /\ UNCHANGED <<wbPc, doneReqs, numInflight>>
       ELSE CompleteReqsReturn
    /\ CompleteReqsFrame

(* The drain is one err = zram_wb_wait_for_completion().                   *)
drainWaitForCompletion ==
    /\ wbPc = "drainWait"
    /\ CompletionReinit
    /\ wbPc' = "waitDone"
    /\ wbRetPc' = "releaseCtl"
    /\ UNCHANGED <<flagVars, envVars, endioVars, ctlVars, ppVars, reqListVars, wbTag, wbPps, wbBlk, wbReq,
                   wbRet>>

(* COMPLETION_REINIT (v2-v4 endio): if (atomic_dec_return(&num_inflight)   *)
(* == 0) complete(&wb_ctl->done).                                          *)
endioDec(r) ==
    /\ endioPc[r] = "endioDec"
    /\ BioEnds(r)
    /\ numInflight' = numInflight - 1
    /\ endioPc' = [endioPc EXCEPT ![r] =
                     IF numInflight - 1 = 0 THEN "endioComplete" ELSE EndioTail]
    /\ UNCHANGED <<flagVars, limitVars, envOwn, taskVars, lifeVars, tbl, slotLock, bitmap, wbWaiting,
                   doneReqs, doneCnt, reqPool>>

endioComplete(r) ==
    /\ endioPc[r] = "endioComplete"
    /\ doneCnt' = doneCnt + 1
    /\ endioPc' = [endioPc EXCEPT ![r] = EndioTail]
    /\ UNCHANGED <<flagVars, envVars, taskVars, lifeVars, reqVars, rcuReaders, wbOkSlots, wbWaiting,
                   doneReqs, numInflight>>

WbStep ==
    \/ initWbCtl \/ scan \/ select \/ limitCheck \/ selectIdleReq \/ waitDone
    \/ waitForCompletion \/ waitSleep \/ reinitCompletion \/ completeDoneReqs
    \/ completeInflightReqs \/ reserveBlock \/ readSlot \/ submitWbRequest \/ next
    \/ releaseReq \/ releaseBlock \/ drainWait \/ drainWaitForCompletion \/ releaseCtl
    \/ releaseWbCtl

EndioStep(r) ==
    \/ endioLock(r) \/ endioWakeUp(r) \/ endioRcuUnlock(r)
    \/ endioDec(r) \/ endioComplete(r)

-----------------------------------------------------------------------------
(***************************************************************************)
(* The read of a ZRAM_WB slot with compressed writeback (mainline).  The   *)
(* reader takes the handle under the slot lock as without it (ReadLock);   *)
(* its bio brings the raw object (readBio, here); then                     *)
(* decompress_bdev_page() (readDecompress) re-takes the slot lock and      *)
(*   mainline (RB_RECHECK_WB_ONLY): tests ZRAM_WB only; not ZRAM_WB ->     *)
(*     zero the page, -EIO (the bio fails, the slot is not marked          *)
(*     accessed); else decompresses with the slot's size and priority now; *)
(*   fixed: tests ZRAM_WB and the handle; both the same -> decompress;     *)
(*     else read the slot again from the top (-EAGAIN to zram_read_page).  *)
(***************************************************************************)
ReadBioRaw(p) ==
    /\ envPc[p] = "readBio"
    /\ rdVal' = disk[rdBlk]
    /\ Goto(p, "readDecompress")
    /\ UNCHANGED <<flagVars, wbVars, tableVars, limitVars, envSlot, rdBlk, latest, limEpoch, limStored,
                   zsOwn, rdOwn>>
    /\ GhostNext

\* decompress_bdev_page(): a ZRAM_HUGE page was written back whole and is
\* returned as read; any other is decompressed with the slot's tag.
RbPage(s) == IF TestSlotFlag(s, "ZRAM_HUGE") THEN rdVal ELSE Decompress(rdVal, wbTag[s])

ReadDecompress(p) ==
    LET s == envSlot[p] IN
    /\ envPc[p] = "readDecompress"
    /\ LockFree(s)
    /\ IF On("RB_RECHECK_WB_ONLY")
       THEN IF TestFlag(s, "ZRAM_WB")
            THEN rdVal' = RbPage(s) /\ Goto(p, "readAccessed")
            ELSE rdVal' = ReadEio /\ Goto(p, "envDone")
       ELSE IF TestFlag(s, "ZRAM_WB") /\ tbl[s].handle = rdBlk   \* guard:rb-recheck
            THEN rdVal' = RbPage(s) /\ Goto(p, "readAccessed")
            ELSE UNCHANGED rdVal /\ Goto(p, "readLock")
    /\ UNCHANGED <<flagVars, wbVars, tableVars, limitVars, envSlot, rdBlk, latest, limEpoch, limStored,
                   zsOwn, rdOwn>>
    /\ GhostNext

\* The environment of this design: ZramCommon's, with the read bio and the
\* deferred decompression above in compressed mode.
BEnvStep(p) ==
    IF CompressedWb /\ envPc[p] \in {"readBio", "readDecompress"}
    THEN ReadBioRaw(p) \/ ReadDecompress(p)
    ELSE EnvStep(p, wbVars) /\ EnvFlags(p)
BEnvNext ==
    \/ \E p \in EnvProcs : BEnvStep(p) /\ Took(p, envPc[p])
    \/ ReadEndio(wbVars) /\ UNCHANGED flagVars /\ Took(ReadDevice, "readEndio")

\* Everything has returned and wb_ctl is gone: stutter, so that TLC's
\* deadlock check only reports a process stuck before its end.
Finished ==
    /\ wbPc = "done" /\ EnvDone /\ ctlSt = "freed" /\ idleIdx = IdleEnd
    /\ \A r \in Reqs : endioPc[r] = EndioEntry /\ bio[r].st # "inflight"
    /\ UNCHANGED vars

\* Each step names its process and label in lastStep (see ZramCommon).
Next ==
    \/ WbStep /\ Took("wb", wbPc)
    \/ \E r \in Reqs : EndioStep(r) /\ Took(Instance("endio", r), endioPc[r])
    \/ rcuGp /\ Took("rcu", "rcuGp")
    \/ markIdle /\ Took("markIdle", "markIdle")
    \/ BEnvNext
    \/ Finished /\ UNCHANGED lastStep

\* Bio completion is fair (the device finishes what it is given), and so is
\* every process, the grace period included.
Fairness ==
    /\ WF_vars(WbStep)
    /\ \A r \in Reqs : WF_vars(EndioStep(r))
    /\ WF_vars(rcuGp)
    /\ WF_vars(markIdle)
    /\ \A p \in EnvProcs : WF_vars(BEnvStep(p))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* Owners of reserved blocks: ZRAM_WB slots, requests the task has submitted
\* and not yet completed, and the loop's carried blk_idx.
ReqHolders == { [who |-> <<"req", r>>, blk |-> reqPool[r].blk] :
                    r \in {x \in Reqs : reqPool[x].st \in {"inflight", "done"}} }
Holders == SlotHolders \cup ReqHolders \cup
           (IF wbBlk # NoBlock THEN {[who |-> <<"wb">>, blk |-> wbBlk]} ELSE {})
BlockNoDoubleUse == NoDoubleUse(Holders)
BlockNoLeak == NoLeak(Holders)
BlockHeldIsReserved == HeldIsReserved(Holders)

(* Memory lifetime, in named parts.                                        *)
\* The endio of r will still touch wb_ctl: its bio is in flight, or it is
\* past its first step and before rcu_read_unlock.
EndioPending(r) ==
    IF endioPc[r] = EndioEntry THEN bio[r].st = "inflight"
    ELSE endioPc[r] # "endioRcuUnlock"
\* Nothing freed is touched: no endio still to touch a freed wb_ctl, and no
\* bio in flight into a freed request (its page and bio are inside it).  The
\* parts are named, so that zwb trace can say which one a state breaks.
NoEndioOnFreedWbCtl == \A r \in Reqs : EndioPending(r) => ctlSt # "freed"
NoBioIntoFreedReq == \A r \in Reqs : bio[r].st = "inflight" => reqPool[r].st # "freed"
NoUseAfterFree ==
    /\ NoEndioOnFreedWbCtl
    /\ NoBioIntoFreedReq
\* zram_writeback_complete dereferences req->pps: a submitted request has one.
NoNullPpsDeref ==
    \A r \in Reqs : reqPool[r].st \in {"inflight", "done"} => reqPool[r].pps # NoPps
\* No request keeps a pointer to a released (kfree'd) pp-slot.
NoDanglingPps == \A r \in Reqs : reqPool[r].pps # NoPps => reqPool[r].pps \in ppLive
\* No pp-slot is owned by two requests.
NoPpsSharedByTwoRequests ==
    \A r1, r2 \in Reqs : r1 # r2 /\ reqPool[r1].pps # NoPps => reqPool[r1].pps # reqPool[r2].pps
\* A request on idle_reqs, selected, or freed has no bio in flight.
NoInflightReqReuse ==
    \A r \in Reqs : reqPool[r].st \in {"idle", "selected", "freed"} => bio[r].st # "inflight"
\* Every submitted bio is completed and accounted when writeback returns
\* (release_wb_ctl's two WARN_ONs, and no bio still in flight).
PastDrain == wbPc \in {"releaseCtl", "releaseWbCtl", "done"}
NoInflightCountLeft == PastDrain => numInflight = 0
NoDoneReqLeft == PastDrain => doneReqs = <<>>
NoBioLeftInFlight == PastDrain => \A r \in Reqs : bio[r].st # "inflight"
AllBiosAccounted ==
    /\ NoInflightCountLeft
    /\ NoDoneReqLeft
    /\ NoBioLeftInFlight
\* A slot that no environment process touched and one of whose bios ended
\* without error is ZRAM_WB once writeback has returned.
WrittenBackWhenUntouched ==
    wbPc = "done" =>
        \A s \in wbOkSlots : (\A p \in EnvProcs : envSlot[p] # s) => TestFlag(s, "ZRAM_WB")

\* The budget is accounted: with the limit on and not overrun (that is
\* WbLimit), bd_wb_limit plus the pages charged and not refunded is the value
\* stored (no writeback_limit_store can land during a batched writeback).  A
\* refund dropped or doubled on a bio error breaks it at once, even where the
\* budget never runs out.
WbLimitAccounted ==
    WbLimitEnable /\ limPages <= limStored => bdLimit + limPages = limStored

\* The statistics: huge_pages counts the ZRAM_HUGE slots that are not
\* ZRAM_WB (mainline's completion keeps the flag but drops the count; 6.19's
\* clears both); pages_stored counts the allocated slots, those written back
\* included.
HugePagesAccounted ==
    hugePages = Cardinality({s \in Slots : TestSlotFlag(s, "ZRAM_HUGE") /\ ~TestFlag(s, "ZRAM_WB")})
PagesStoredAccounted == pagesStored = Cardinality({s \in Slots : Allocated(s)})
\* The mode: every pp-slot the scan placed, while it waits for the writeback
\* (a slot not locked, still ZRAM_PP_SLOT and not yet ZRAM_WB), has the
\* flags the mode selects on.
PpSlotsMatchMode ==
    \A s \in Slots :
        LockFree(s) /\ TestFlag(s, "ZRAM_PP_SLOT") /\ ~TestFlag(s, "ZRAM_WB") => MatchesMode(s)

\* Liveness: with fair bio completion the writeback always returns.
WritebackReturns == <>(wbPc = "done")
=============================================================================
