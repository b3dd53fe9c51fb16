----------------------------- MODULE ZramSingle -----------------------------
(***************************************************************************)
(* The single-page synchronous writeback of v6.13 - v6.18: one page, one   *)
(* on-stack bio, submit_bio_wait(), wb_limit_lock.                         *)
(*                                                                         *)
(* C: drivers/block/zram/zram_drv.c at gregkh/linux @27997aca (v6.17):     *)
(* writeback_store(), scan_slots_for_writeback(), place_pp_slot(),         *)
(* select_pp_slot(), zram_writeback_slots(), release_pp_slot(),            *)
(* release_pp_ctl().  docs/sources.md names the copy.                      *)
(*                                                                         *)
(* Processes: "wb" (the task in writeback_store), "bdev" (the backing      *)
(* device completing the one bio, i.e. the endio that completes            *)
(* submit_bio_wait's on-stack completion), and the environment of          *)
(* ZramCommon, including writeback_limit_store: in single it takes         *)
(* init_lock shared and wb_limit_lock, so it may land mid-writeback.       *)
(*                                                                         *)
(* Names: a local x of zram_writeback_slots() is wbX here (wbPps is pps,   *)
(* wbBlk blk_idx, wbPage page, wbRet ret); wbPc is the task's program      *)
(* counter.  Variables by writer: ppVars and loopVars (the task's own),    *)
(* bio (the task submits it, the device completes it), and ZramCommon's    *)
(* groups.                                                                 *)
(*                                                                         *)
(* Labels (values of wbPc, and the device's step) are the points where     *)
(* another CPU may step in; the Java twin calls a step hook with the same  *)
(* names.  Each label and the C it models, in the order the C runs them    *)
(* (TypeOK proves the set complete; docs/map.md is checked against this    *)
(* table):                                                                 *)
(*  scan                  scan_slots_for_writeback() / place_pp_slot()     *)
(*  select                select_pp_slot()                                 *)
(*  limitCheck            wb_limit_lock; !bd_wb_limit -> -EIO              *)
(*  allocBlock            if (!blk_idx) alloc_block_bdev()                 *)
(*  readSlot              slot lock; ZRAM_PP_SLOT?;                        *)
(*                        zram_read_from_zspool(); unlock                  *)
(*  submitBio             bio_init(); submit_bio_wait() submits            *)
(*  bioWait               submit_bio_wait() sleeps until the endio         *)
(*  bioEndio              the device completes the bio (its endio          *)
(*                        completes the on-stack completion)               *)
(*  releaseOnError        error: release_pp_slot(), ret = err              *)
(*  relock                re-lock; re-test ZRAM_PP_SLOT; zram_free_page(), *)
(*                        ZRAM_WB, handle; charge                          *)
(*  next                  next: unlock; release_pp_slot()                  *)
(*  freeCarried           if (blk_idx) free_block_bdev()                   *)
(*  releaseCtl            release_pp_ctl()                                 *)
(*  nextRun               writeback_store() returned; it is called again   *)
(*                        (WbRuns > 1): a fresh pp_ctl, a new scan         *)
(*  done                  writeback_store() returns                        *)
(*                                                                         *)
(* Switches: NO_PP_RECHECK, READ_BLKIDX_UNLOCKED (on in as-released),      *)
(* NO_READ_RECHECK (upstream's read path after 6/6), BLK_IDX_LEAK          *)
(* (teaching: what if single had dropped its carried-block free).          *)
(***************************************************************************)
EXTENDS ZramCommon

CONSTANT ScanTwice  \* slots that a second, overlapping page_indexes= range
                    \* covers again; {} for a single range

ASSUME ScanTwice \subseteq Slots

\* The labels of the writeback task (values of wbPc; TypeOK proves the set
\* complete) and the steps of the other processes (action names).
WbLabels == {"scan", "select", "limitCheck", "allocBlock", "readSlot", "submitBio",
             "bioWait", "releaseOnError", "relock", "next", "freeCarried", "releaseCtl",
             "nextRun", "done"}
OtherSteps == {"bioEndio"}

\* The labels a step can carry ("done" is where the task rests): zwb reach's
\* rows, printed at start-up; TypeOK holds every step's lastStep to them.
StepLabels == (WbLabels \ {"done"}) \cup OtherSteps \cup EnvStepLabels
ASSUME PrintT(<<"zwb-labels", StepLabels>>)

\* alloc_block_bdev() skips bit 0 ("to confuse zram.handle = 0").
WbBlocks == 1..MaxBlock
NoPps == <<0, 0>>                  \* a pp-slot is <<id, index>>; id = scan position

\* The writeback task's own.
VARIABLES
    wbPc,          \* program counter of the writeback task
    scanPos,       \* scan_slots_for_writeback: next position in ScanQ
    ppCtl,         \* zram_pp_ctl: the pp-slots still in the buckets
    wbPps,         \* zram_writeback_slots' pps, the pp-slot being written
    wbBlk,         \* its blk_idx, carried across iterations (0: none)
    wbPage,        \* its page: what was read from zsmalloc for the bio
    wbRet,         \* its ret: "ok", "EIO" (limit), "ENOSPC", "EBIO" (last bio error)
    wbCheckEpoch,  \* ghost: limEpoch at this iteration's limit check
    wbRun          \* which call of writeback_store the task is in (1..WbRuns)

\* The task submits it, the device completes it.
VARIABLE
    bio            \* the on-stack bio: [state: idle|inflight|done, blk, data, err]

\* The groups frames name: writeback_store's post-processing control and
\* zram_writeback_slots' locals, both the task's own.
ppVars == <<scanPos, ppCtl>>
loopVars == <<wbPps, wbBlk, wbPage, wbRet, wbCheckEpoch>>
taskVars == <<wbPc, ppVars, loopVars, wbRun>>
wbVars == <<taskVars, bio>>
vars == <<envVars, wbVars>>

ScanQ == ScanOrder(ScanTwice)
PpsSlot == wbPps[2]

TypeOK ==
    /\ EnvTypeOK
    /\ wbPc \in WbLabels
    /\ StepTypeOK(StepLabels)
    /\ wbBlk \in {0} \cup WbBlocks
    /\ ppCtl \subseteq (1..Len(ScanQ)) \X Slots
    /\ bio.state \in {"idle", "inflight", "done"}

Init ==
    /\ EnvInit
    /\ wbPc = "scan"
    /\ scanPos = 1
    /\ ppCtl = {}
    /\ wbPps = NoPps
    /\ wbBlk = 0
    /\ wbPage = Zero
    /\ wbRet = "ok"
    /\ wbCheckEpoch = 0
    /\ wbRun = 1
    /\ bio = [state |-> "idle", blk |-> 0, data |-> Zero, err |-> FALSE]

-----------------------------------------------------------------------------
(* writeback_store(): init_lock shared, pp_in_progress set (one post-      *)
(* processing at a time), init_pp_ctl(), then one scan per page_indexes=   *)
(* argument: under the slot lock, an allocated slot that is not ZRAM_WB    *)
(* gets a pp-slot and ZRAM_PP_SLOT (place_pp_slot).  The scan does not     *)
(* look at ZRAM_PP_SLOT, so an index repeated in ScanQ is placed twice.    *)
scan ==
    LET s == ScanQ[scanPos] IN
    /\ wbPc = "scan"
    /\ LockFree(s)
    /\ IF Allocated(s) /\ ~TestFlag(s, "ZRAM_WB")
       THEN /\ ppCtl' = ppCtl \cup {<<scanPos, s>>}
            /\ tbl' = [tbl EXCEPT ![s].flags = @ \cup {"ZRAM_PP_SLOT"}]
       ELSE UNCHANGED <<ppCtl, tbl>>
    /\ scanPos' = scanPos + 1
    /\ wbPc' = IF scanPos = Len(ScanQ) THEN "select" ELSE "scan"
    /\ UNCHANGED <<limitVars, envOwn, loopVars, bio, slotLock, bitmap, disk>>

(* while ((pps = select_pp_slot(ctl))): the buckets are walked largest     *)
(* first; the spec lets any Selectable pp-slot be next (any slot: sizes   *)
(* are not modelled; of one slot's two, the later placed).                 *)
select ==
    /\ wbPc = "select"
    /\ IF ppCtl = {}
       THEN wbPc' = "freeCarried" /\ UNCHANGED wbPps
       ELSE \E pps \in Selectable(ppCtl) : wbPps' = pps /\ wbPc' = "limitCheck"
    /\ UNCHANGED <<envVars, ppVars, bio, wbBlk, wbPage, wbRet, wbCheckEpoch>>

(* spin_lock(wb_limit_lock); if (wb_limit_enable && !bd_wb_limit) -EIO.    *)
limitCheck ==
    /\ wbPc = "limitCheck"
    /\ IF WbLimitEnable /\ bdLimit = 0
       THEN /\ wbRet' = "EIO"
            /\ wbPc' = "freeCarried"
            /\ UNCHANGED wbCheckEpoch
       ELSE /\ wbCheckEpoch' = limEpoch
            /\ wbPc' = "allocBlock"
            /\ UNCHANGED wbRet
    /\ UNCHANGED <<envVars, ppVars, bio, wbPps, wbBlk, wbPage>>

(* if (!blk_idx) blk_idx = alloc_block_bdev(): find_next_zero_bit from 1,  *)
(* test_and_set_bit (retry on a lost race: one atomic step here); none     *)
(* left -> -ENOSPC.                                                        *)
allocBlock ==
    /\ wbPc = "allocBlock"
    /\ IF wbBlk # 0
       THEN wbPc' = "readSlot" /\ UNCHANGED <<bitmap, wbBlk, wbRet>>
       ELSE LET b == LowestFree(WbBlocks) IN
            IF b = -1
            THEN /\ wbRet' = "ENOSPC"
                 /\ wbPc' = "freeCarried"
                 /\ UNCHANGED <<bitmap, wbBlk>>
            ELSE /\ bitmap' = bitmap \cup {b}
                 /\ wbBlk' = b
                 /\ wbPc' = "readSlot"
                 /\ UNCHANGED wbRet
    /\ UNCHANGED <<limitVars, envOwn, ppVars, bio, tbl, slotLock, disk, wbPps, wbPage,
                   wbCheckEpoch>>

(* zram_slot_lock(index); if (!ZRAM_PP_SLOT) goto next (lock held);        *)
(* zram_read_from_zspool(page); zram_slot_unlock().                        *)
readSlot ==
    /\ wbPc = "readSlot"
    /\ LockFree(PpsSlot)
    /\ IF ~TestFlag(PpsSlot, "ZRAM_PP_SLOT")
       THEN /\ slotLock' = [slotLock EXCEPT ![PpsSlot] = "wb"]
            /\ wbPc' = "next"
            /\ UNCHANGED wbPage
       ELSE /\ wbPage' = Page(PpsSlot, tbl[PpsSlot].ver)
            /\ wbPc' = "submitBio"
            /\ UNCHANGED slotLock
    /\ UNCHANGED <<limitVars, envOwn, ppVars, bio, tbl, bitmap, disk, wbPps, wbBlk, wbRet,
                   wbCheckEpoch>>

(* bio_init(REQ_OP_WRITE | REQ_SYNC), sector = blk_idx, add the page;      *)
(* submit_bio_wait() submits it ...                                        *)
submitBio ==
    /\ wbPc = "submitBio"
    /\ bio' = [state |-> "inflight", blk |-> wbBlk, data |-> wbPage, err |-> FALSE]
    /\ wbPc' = "bioWait"
    /\ UNCHANGED <<envVars, ppVars, loopVars>>

(* ... and sleeps until the endio completes it.  On error:                 *)
(* release_pp_slot(), ret = err, continue (the block is kept).             *)
bioWait ==
    /\ wbPc = "bioWait"
    /\ bio.state = "done"
    /\ bio' = [bio EXCEPT !.state = "idle"]
    /\ IF bio.err
       THEN wbRet' = "EBIO" /\ wbPc' = "releaseOnError"
       ELSE wbPc' = "relock" /\ UNCHANGED wbRet
    /\ UNCHANGED <<envVars, ppVars, wbPps, wbBlk, wbPage, wbCheckEpoch>>

(* release_pp_slot(): list_del_init; slot lock; clear ZRAM_PP_SLOT;        *)
(* unlock; kfree(pps).                                                     *)
ReleasePpSlot(pps) ==
    /\ LockFree(pps[2])
    /\ tbl' = [tbl EXCEPT ![pps[2]].flags = @ \ {"ZRAM_PP_SLOT"}]
    /\ ppCtl' = ppCtl \ {pps}

releaseOnError ==
    /\ wbPc = "releaseOnError"
    /\ ReleasePpSlot(wbPps)
    /\ wbPc' = "select"
    /\ UNCHANGED <<limitVars, envOwn, loopVars, bio, scanPos, slotLock, bitmap, disk>>

(* bd_writes++; zram_slot_lock(index); the slot may have been freed, or    *)
(* freed and rewritten, while the bio ran: either clears ZRAM_PP_SLOT, so  *)
(* if (!ZRAM_PP_SLOT) goto next.  Else zram_free_page(), set ZRAM_WB,      *)
(* handle = blk_idx, blk_idx = 0, pages_stored++, and under wb_limit_lock  *)
(* charge the limit.  NO_PP_RECHECK drops the re-test.                     *)
relock ==
    /\ wbPc = "relock"
    /\ LockFree(PpsSlot)
    /\ slotLock' = [slotLock EXCEPT ![PpsSlot] = "wb"]
    /\ IF ~On("NO_PP_RECHECK") /\ ~TestFlag(PpsSlot, "ZRAM_PP_SLOT")   \* guard:pp-recheck
       THEN /\ UNCHANGED <<tbl, bitmap, wbBlk, bdLimit, limPages>>
       ELSE /\ bitmap' = FreePageBitmap(tbl, bitmap, PpsSlot)
            /\ tbl' = [tbl EXCEPT ![PpsSlot] =
                          [flags |-> {"ZRAM_WB"}, handle |-> wbBlk, ver |-> 0]]
            /\ wbBlk' = 0
            /\ ChargeLimit(wbCheckEpoch)
    /\ wbPc' = "next"
    /\ UNCHANGED <<envOwn, ppVars, bio, disk, wbPps, wbPage, wbRet, wbCheckEpoch>>

(* next: zram_slot_unlock(); release_pp_slot().  The unlock and the        *)
(* re-lock inside release_pp_slot are one step: whatever another process   *)
(* does to the slot in between also clears ZRAM_PP_SLOT, so merging them   *)
(* hides no outcome.                                                       *)
next ==
    /\ wbPc = "next"
    /\ slotLock' = [slotLock EXCEPT ![PpsSlot] = NoOwner]
    /\ tbl' = [tbl EXCEPT ![PpsSlot].flags = @ \ {"ZRAM_PP_SLOT"}]
    /\ ppCtl' = ppCtl \ {wbPps}
    /\ wbPc' = "select"
    /\ UNCHANGED <<limitVars, envOwn, loopVars, bio, scanPos, bitmap, disk>>

(* After the loop: if (blk_idx) free_block_bdev(zram, blk_idx); free the   *)
(* page; return.  The local blk_idx dies with the return.  BLK_IDX_LEAK    *)
(* drops the free (the batched series did; here it is a teaching switch).  *)
freeCarried ==
    /\ wbPc = "freeCarried"
    /\ bitmap' = IF wbBlk # 0 /\ ~On("BLK_IDX_LEAK")      \* guard:free-carried
                 THEN bitmap \ {wbBlk} ELSE bitmap
    /\ wbBlk' = 0
    /\ wbPc' = "releaseCtl"
    /\ UNCHANGED <<limitVars, envOwn, ppVars, bio, tbl, slotLock, disk, wbPps, wbPage, wbRet,
                   wbCheckEpoch>>

(* writeback_store: release_pp_ctl() releases every pp-slot left (the      *)
(* loop stopped early), then pp_in_progress = 0 and up_read(init_lock);    *)
(* the return, or the next call when runs are left.                        *)
releaseCtl ==
    /\ wbPc = "releaseCtl"
    /\ IF ppCtl = {}
       THEN /\ wbPc' = IF wbRun < WbRuns THEN "nextRun" ELSE "done"
            /\ UNCHANGED <<tbl, ppCtl>>
       ELSE /\ ReleasePpSlot(CHOOSE pps \in ppCtl : TRUE)
            /\ wbPc' = "releaseCtl"
    /\ UNCHANGED <<limitVars, envOwn, loopVars, bio, scanPos, slotLock, bitmap, disk>>

(* writeback_store() called again (WbRuns > 1): down_read(init_lock),       *)
(* pp_in_progress, init_pp_ctl() -- a fresh, empty pp_ctl -- and a new     *)
(* scan over the same page_indexes= ranges.  The locals of                 *)
(* zram_writeback_slots() start afresh (blk_idx is 0: freeCarried).        *)
nextRun ==
    /\ wbPc = "nextRun"
    /\ wbRun' = wbRun + 1
    /\ scanPos' = 1
    /\ ppCtl' = {}
    /\ wbPps' = NoPps
    /\ wbPage' = Zero
    /\ wbRet' = "ok"
    /\ wbCheckEpoch' = 0
    /\ wbPc' = "scan"
    /\ UNCHANGED <<envVars, bio, wbBlk>>

WbStep ==
    \/ /\ \/ scan \/ select \/ limitCheck \/ allocBlock \/ readSlot \/ submitBio
          \/ bioWait \/ releaseOnError \/ relock \/ next \/ freeCarried \/ releaseCtl
       /\ UNCHANGED wbRun
    \/ nextRun

(* The backing device: the one in-flight bio completes, with success (the  *)
(* page lands on its block) or, when BioErrors, with an error (the block   *)
(* keeps what it had).  Its endio completes submit_bio_wait's completion.  *)
bioEndio ==
    /\ bio.state = "inflight"
    /\ \/ /\ disk' = [disk EXCEPT ![bio.blk] = bio.data]
          /\ bio' = [bio EXCEPT !.state = "done", !.err = FALSE]
       \/ /\ BioErrors
          /\ bio' = [bio EXCEPT !.state = "done", !.err = TRUE]
          /\ UNCHANGED disk
    /\ UNCHANGED <<limitVars, envOwn, taskVars, tbl, slotLock, bitmap>>

\* Everything has returned: stutter, so that TLC's deadlock check only
\* reports a process stuck before its end.
Finished ==
    /\ wbPc = "done" /\ EnvDone
    /\ UNCHANGED vars

\* Each step names its process and label in lastStep (see ZramCommon).
Next ==
    \/ WbStep /\ Took("wb", wbPc)
    \/ bioEndio /\ Took("bdev", "bioEndio")
    \/ EnvNext(wbVars)
    \/ Finished /\ UNCHANGED lastStep

\* Bio completion is fair (the device finishes what it is given), and so is
\* every process: each lock holder eventually runs on.
Fairness ==
    /\ WF_vars(WbStep)
    /\ WF_vars(bioEndio)
    /\ \A p \in EnvProcs : WF_vars(EnvStep(p, wbVars))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* Owners of reserved blocks: ZRAM_WB slots and the loop's carried blk_idx
\* (which is also the block of the in-flight bio).
Holders == SlotHolders \cup
           (IF wbBlk # 0 THEN {[who |-> <<"wb">>, blk |-> wbBlk]} ELSE {})
BlockNoDoubleUse == NoDoubleUse(Holders)
BlockNoLeak == NoLeak(Holders)
BlockHeldIsReserved == HeldIsReserved(Holders)

\* Liveness: with fair bio completion the writeback always returns.
WritebackReturns == <>(wbPc = "done")
=============================================================================
