---------------------------- MODULE ZramMultipage ----------------------------
(***************************************************************************)
(* Yuwen Chen, "[PATCH v3] zram: Implement multi-page write-back"          *)
(* (2025-11-05, Message-ID tencent_25F89AABFE39535EF957519750D107B7D406    *)
(* @qq.com, see docs/sources.md), as posted: a pool of ZRAM_WB_REQ_CNT     *)
(* zram_wb_request (or the on-stack req_prealloc[2] when kzalloc fails),   *)
(* each with ALLOCATED / COMPLETED bits, one on-stack completion `done`    *)
(* shared by every request, blk_plug around the submissions.  The patch    *)
(* replaces zram_writeback_slots() of the single-page code (v6.17,         *)
(* gregkh/linux @27997aca, see ZramSingle) and adds                        *)
(* zram_writeback_complete(), zram_writeback_endio() and                   *)
(* zram_writeback_next_request(); writeback_store(), the scan and the      *)
(* environment are those of single.  Comments cite the patch by function   *)
(* and statement; names of C functions are exact.                          *)
(*                                                                         *)
(* Processes: "wb" (writeback_store -> zram_writeback_slots), "bdev" (the  *)
(* backing device completing issued bios), one endio per request slot of   *)
(* the pool (zram_writeback_endio of that request's bio), and the          *)
(* environment of ZramCommon: freeNotify, discard, write, read and         *)
(* limitStore (writeback_limit_store takes init_lock shared and            *)
(* wb_limit_lock, as in single, so it may land mid-writeback).             *)
(*                                                                         *)
(* Names: a local x of zram_writeback_slots() is wbX here (wbReq is req,  *)
(* NoReq NULL; wbRet is ret), and reqPool is req_pool; wbPc is the task's  *)
(* program counter.  Variables by writer: taskVars (the task's own),       *)
(* poolVars (the request pool and `done`: the task, the device, the        *)
(* endios), endioVars (the endios' own), and ZramCommon's groups.          *)
(*                                                                         *)
(* Labels: values of wbPc (the task) and of endioPc[i] (the endio of       *)
(* request i), and the steps without a pc of their own (bioEndio, the      *)
(* device; endioComplete: endioLate[i] counts the endio instances of       *)
(* request i poised at complete(req->done)).  Bios are issued by the       *)
(* task's blk_finish_plug.  Each label and the C it models, in the order   *)
(* the C runs them (TypeOK proves the set complete; docs/map.md is checked *)
(* against this table):                                                    *)
(*  scan                  scan_slots_for_writeback()                       *)
(*  poolAlloc             kzalloc(req_pool) or req_prealloc[2]; done       *)
(*                        pointers, flags                                  *)
(*  nextRequest           zram_writeback_next_request() before the loop    *)
(*  startPlug             blk_start_plug()                                 *)
(*  select                req->pps = select_pp_slot()                      *)
(*  limitCheck            wb_limit_lock; !bd_wb_limit -> -EIO              *)
(*  allocBlock            if (!req->blk_idx) alloc_block_bdev()            *)
(*  readSlot              slot lock; ZRAM_PP_SLOT?; read into req->page;   *)
(*                        unlock                                           *)
(*  next                  next: unlock; release_pp_slot(); req->pps = NULL *)
(*  submitBio             bio_init(); list_del_init(&req->pps->entry);     *)
(*                        submit_bio() (plugged)                           *)
(*  getRequest            do { req = zram_writeback_next_request(); ...    *)
(*  waitCompletion        blk_finish_plug();                               *)
(*                        wait_for_completion_io(&done); blk_start_plug()  *)
(*  writebackComplete     zram_writeback_complete(zram, req)               *)
(*  completeNext          its success path: re-lock, re-test, convert,     *)
(*                        charge (limit at completion)                     *)
(*  completeError         if (err) release_pp_slot(req->pps); req->pps =   *)
(*                        NULL                                             *)
(*  finishPlug            blk_finish_plug(); clear_bit(ALLOCATED,          *)
(*                        &req->flags)                                     *)
(*  drainCount            the fix: wait for one complete() per submitted   *)
(*                        bio                                              *)
(*  drainTest             while (test_bit(ALLOCATED, &req_pool[i].flags))  *)
(*  drainWait             wait_for_completion_io(&done) in the drain       *)
(*  drainComplete         zram_writeback_complete(zram, &req_pool[i])      *)
(*  drainCompleteNext     its success path                                 *)
(*  drainError            release_pp_slot(req_pool[i].pps); req->pps =     *)
(*                        NULL (WRONG_PPS_CLEAR)                           *)
(*  drainRelease          free_block_bdev(req_pool[i].blk_idx);            *)
(*                        __free_page()                                    *)
(*  freePool              kfree(req_pool); the stack frame holding done    *)
(*                        ends                                             *)
(*  releaseCtl            release_pp_ctl()                                 *)
(*  nextRun               writeback_store() returned; it is called again   *)
(*                        (WbRuns > 1): a fresh pp_ctl, a new scan         *)
(*  done                  writeback_store() returns                        *)
(*  bioEndio              the device completes a bio                       *)
(*  endioSetCompleted     zram_writeback_endio(): set_bit(COMPLETED)       *)
(*  endioClearAllocated   clear_bit(ALLOCATED)                             *)
(*  endioComplete         complete(req->done)                              *)
(*  idle                  (no endio pending for the request)               *)
(*                                                                         *)
(* Abstractions (beyond ZramCommon's):                                     *)
(*  - The pool has PoolSize requests (the patch: 32); the fallback         *)
(*    req_prealloc has PreallocSize (the patch: 2).  kzalloc and           *)
(*    alloc_page fail nondeterministically when AllocFails.                *)
(*  - A request whose endio has cleared ALLOCATED may be reused and its    *)
(*    new bio completed before the old endio called complete(); so the    *)
(*    complete() step is a counter per request, not a pc value.            *)
(*  - blk_plug: a submitted bio sits in the plug until blk_finish_plug,    *)
(*    or until the task goes to sleep on `done` (schedule() ->             *)
(*    sched_submit_work() flushes the plug: SchedSubmitWork).  Other       *)
(*    sleeps (slot lock, alloc_page) also flush in the kernel; the task    *)
(*    never waits for a slot lock held across a step here, and alloc_page *)
(*    does not sleep in the model, so those flushes have no counterpart.   *)
(*  - set_bit(COMPLETED) then clear_bit(ALLOCATED) in the endio run in    *)
(*    program order.  That is no simplification: both are atomic RMWs on   *)
(*    the one `flags` word, and RMWs on one location are totally ordered   *)
(*    (coherence), so no CPU sees ALLOCATED clear before COMPLETED set.    *)
(*  - complete() is one atomic step: it takes done.wait.lock, done++,      *)
(*    wakes, unlocks; a waiter takes the same lock to see done > 0, so it  *)
(*    cannot return while complete() still touches `done`.                 *)
(*  - blk_finish_plug before the wait and blk_start_plug after it are      *)
(*    merged into the neighbouring steps (task-local, nobody observes).    *)
(*  - req->page contents and the request's check epoch are reset when they *)
(*    are dead (after the bio ends / the completion is processed): nothing *)
(*    reads them again before they are rewritten.                          *)
(*  - Memory lifetime: the pool and `done` die together at freePool.  Any  *)
(*    later touch (an endio step, a bio completion on a pool request) is   *)
(*    recorded in the ghost deadTouch.                                     *)
(*                                                                         *)
(* Switches: WRONG_PPS_CLEAR, REQ_POOL_UAF, LIMIT_AT_COMPLETION,            *)
(* READ_BLKIDX_UNLOCKED (all on as posted); NO_PP_RECHECK (teaching);      *)
(* NO_READ_RECHECK (upstream's read path after 6/6).                       *)
(***************************************************************************)
EXTENDS ZramCommon

CONSTANTS
    ScanTwice,     \* slots a second, overlapping page_indexes= range covers again
    PoolSize,      \* ZRAM_WB_REQ_CNT (32 in the patch)
    PreallocSize,  \* ARRAY_SIZE(req_prealloc) (2 in the patch)
    AllocFails     \* TRUE: kzalloc and alloc_page may fail

ASSUME ScanTwice \subseteq Slots
ASSUME PoolSize \in Nat \ {0} /\ PreallocSize \in Nat \ {0} /\ AllocFails \in BOOLEAN
\* More than one run only where every endio of a run ends before it returns:
\* the pool ghosts (reqPool, deadTouch) name one pool, which nextRun
\* allocates afresh, so a late endio of REQ_POOL_UAF would land in the next
\* run's pool instead of the freed one.
ASSUME WbRuns = 1 \/ ~On("REQ_POOL_UAF")

WbBlocks == 1..MaxBlock
NoPps == <<0, 0>>
NoReq == -1                        \* req == NULL
MaxReq == IF PoolSize >= PreallocSize THEN PoolSize ELSE PreallocSize
Reqs == 0..(MaxReq - 1)            \* request indexes, as in C: req_pool[i]

\* A kzalloc'ed (or {0}-initialised) zram_wb_request, with what the model keeps:
\* flags, blk_idx, page (allocated?), pps, the page data read for the bio,
\* the bio (idle / plugged / issued), bi_status (err), and the ghost epoch of
\* its limit check.
ZeroReq == [flags |-> {}, blk |-> 0, page |-> FALSE, pps |-> NoPps,
            data |-> Zero, bio |-> "idle", err |-> FALSE, epoch |-> 0]

\* The labels of the writeback task (values of wbPc) and of each request's
\* endio (values of endioPc[i]; "idle": no bio of that request pending);
\* TypeOK proves both sets complete.  Steps that are actions without a pc
\* value of their own are OtherSteps.
WbLabels == {"scan", "poolAlloc", "nextRequest", "startPlug", "select", "limitCheck",
             "allocBlock", "readSlot", "next", "submitBio", "getRequest", "waitCompletion",
             "writebackComplete", "completeNext", "completeError", "finishPlug",
             "drainCount", "drainTest", "drainWait", "drainComplete", "drainCompleteNext",
             "drainError", "drainRelease", "freePool", "releaseCtl", "nextRun", "done"}
EndioLabels == {"idle", "endioSetCompleted", "endioClearAllocated"}
OtherSteps == {"bioEndio", "endioComplete"}

\* The labels a step can carry ("done" is where the task rests): zwb reach's
\* rows, printed at start-up; TypeOK holds every step's lastStep to them.
StepLabels == (WbLabels \ {"done"}) \cup (EndioLabels \ {"idle"}) \cup OtherSteps \cup EnvStepLabels
ASSUME PrintT(<<"zwb-labels", StepLabels>>)

\* The writeback task's own.
VARIABLES
    wbPc,       \* program counter of the writeback task
    scanPos,    \* scan_slots_for_writeback: next position in ScanQ
    ppCtl,      \* zram_pp_ctl: pp-slots still linked in the buckets
    ppFreed,    \* ghost: pp-slots released (kfree'd) so far
    nullDeref,  \* ghost: a NULL pps was dereferenced
    wbRet,      \* ret: "ok", "ENOMEM", "EIO", "ENOSPC", "EBIO"
    poolN,      \* req_pool_cnt (0 before poolAlloc)
    cntOff,     \* cnt_off: where zram_writeback_next_request starts
    nrI,        \* zram_writeback_next_request: iterations done so far
    wbReq,      \* req: the request the task holds (NoReq: NULL)
    drainI,     \* i of the final drain loop
    owed,       \* submitted bios whose complete() the task has not waited for
    wbRun       \* which call of writeback_store the task is in (1..WbRuns)

\* The request pool and the on-stack completion: the task, the device and
\* the endios.
VARIABLES
    reqPool,    \* req_pool[i], i \in Reqs
    doneCnt,    \* done.done: complete() calls not yet taken by a wait
    deadTouch   \* ghost: dead objects touched: subset of {"pool", "completion"}

\* The endios' own.
VARIABLES
    endioPc,    \* endio of request i: "idle", "endioSetCompleted", "endioClearAllocated"
    endioLate   \* endio instances of request i poised at complete(req->done)

\* The groups frames name.  The task's own: the post-processing control (with
\* the ghosts release_pp_slot keeps), zram_writeback_slots' locals.
ppVars == <<scanPos, ppCtl, ppFreed, nullDeref>>
loopVars == <<wbRet, poolN, cntOff, nrI, wbReq, drainI, owed>>
taskVars == <<wbPc, ppVars, loopVars, wbRun>>
poolVars == <<reqPool, doneCnt, deadTouch>>
endioVars == <<endioPc, endioLate>>
wbVars == <<taskVars, poolVars, endioVars>>
vars == <<envVars, wbVars>>

ScanQ == ScanOrder(ScanTwice)
Pool == 0..(poolN - 1)

\* The pool and the completion exist from poolAlloc until freePool.
PoolLive == wbPc \notin {"scan", "poolAlloc", "releaseCtl", "nextRun", "done"}

Req(i, f) == reqPool[i][f]
SetReq(i, f, v) == reqPool' = [reqPool EXCEPT ![i][f] = v]

TypeOK ==
    /\ EnvTypeOK
    /\ wbPc \in WbLabels
    /\ StepTypeOK(StepLabels)
    /\ poolN \in {0, PoolSize, PreallocSize}
    /\ wbReq \in {NoReq} \cup Reqs
    /\ \A i \in Reqs :
         /\ reqPool[i].flags \subseteq {"ALLOCATED", "COMPLETED"}
         /\ reqPool[i].blk \in {0} \cup WbBlocks
         /\ reqPool[i].bio \in {"idle", "plugged", "issued"}
         /\ endioPc[i] \in EndioLabels
         /\ endioLate[i] \in Nat
    /\ doneCnt \in Nat /\ owed \in Nat
    /\ deadTouch \subseteq {"pool", "completion"}

Init ==
    /\ EnvInit
    /\ wbPc = "scan"
    /\ scanPos = 1
    /\ ppCtl = {}
    /\ ppFreed = {}
    /\ wbRet = "ok"
    /\ poolN = 0
    /\ cntOff = 0
    /\ nrI = 0
    /\ wbReq = NoReq
    /\ drainI = 0
    /\ reqPool = [i \in Reqs |-> ZeroReq]
    /\ doneCnt = 0
    /\ owed = 0
    /\ endioPc = [i \in Reqs |-> "idle"]
    /\ endioLate = [i \in Reqs |-> 0]
    /\ deadTouch = {}
    /\ nullDeref = FALSE
    /\ wbRun = 1

-----------------------------------------------------------------------------
(* writeback_store: as single.  init_lock shared, init_pp_ctl, one scan    *)
(* per page_indexes= range: place_pp_slot under the slot lock.             *)
scan ==
    LET s == ScanQ[scanPos] IN
    /\ wbPc = "scan"
    /\ LockFree(s)
    /\ IF Allocated(s) /\ ~TestFlag(s, "ZRAM_WB")
       THEN /\ ppCtl' = ppCtl \cup {<<scanPos, s>>}
            /\ tbl' = [tbl EXCEPT ![s].flags = @ \cup {"ZRAM_PP_SLOT"}]
       ELSE UNCHANGED <<ppCtl, tbl>>
    /\ scanPos' = scanPos + 1
    /\ wbPc' = IF scanPos = Len(ScanQ) THEN "poolAlloc" ELSE "scan"
    /\ UNCHANGED <<limitVars, envOwn, poolVars, endioVars, loopVars, slotLock, bitmap, disk,
                   ppFreed, nullDeref>>

(* zram_writeback_slots(), set-up: DECLARE_COMPLETION_ONSTACK(done);       *)
(* req_pool = kzalloc(32) or, if that fails, req_prealloc (2, zeroed);     *)
(* every req->done = &done, flags = 0.                                   *)
poolAlloc ==
    /\ wbPc = "poolAlloc"
    /\ \E n \in IF AllocFails THEN {PoolSize, PreallocSize} ELSE {PoolSize} :
         poolN' = n
    /\ reqPool' = [i \in Reqs |-> ZeroReq]
    /\ doneCnt' = 0
    /\ cntOff' = 0 /\ nrI' = 0
    /\ wbPc' = "nextRequest"
    /\ UNCHANGED <<envVars, ppVars, endioVars, deadTouch, wbRet, wbReq, drainI, owed>>

(* zram_writeback_next_request(): for (i = cnt_off; ...)                   *)
(* { req = &pool[i % cnt]; if (!req->page) { req->page = alloc_page();     *)
(* if (!req->page) continue; } if (!test_and_set_bit(ALLOCATED)) {         *)
(* cnt_off = (i + 1) % cnt; return req; } } return NULL.  One iteration    *)
(* per step: an endio may clear a bit between two iterations.              *)
(* NextRequest(lbl, found, none, isFirst): the caller goes to `found`     *)
(* with req, or to `none` with req = NULL: the call before the loop        *)
(* returns -ENOMEM, the do-while in the loop finishes the plug.            *)
ReqIndex == (cntOff + nrI) % poolN

NextRequest(lbl, found, none, isFirst) ==
    LET i == ReqIndex IN
    /\ wbPc = lbl
    /\ \E gotPage \in IF reqPool[i].page \/ ~AllocFails THEN {TRUE} ELSE {TRUE, FALSE} :
         LET rq1 == [reqPool EXCEPT ![i].page = gotPage] IN
         IF gotPage /\ "ALLOCATED" \notin reqPool[i].flags
         THEN \* test_and_set_bit(ZRAM_WB_REQUEST_ALLOCATED) found it clear
              /\ reqPool' = [rq1 EXCEPT ![i].flags = @ \cup {"ALLOCATED"}]
              /\ cntOff' = (i + 1) % poolN
              /\ wbReq' = i
              /\ nrI' = 0
              /\ wbPc' = found
              /\ UNCHANGED wbRet
         ELSE \* alloc_page failed (continue), or the bit was already set
              /\ UNCHANGED <<cntOff, wbReq>>
              /\ IF nrI + 1 < poolN
                 THEN /\ nrI' = nrI + 1 /\ wbPc' = lbl
                      /\ reqPool' = rq1 /\ UNCHANGED wbRet
                 ELSE /\ nrI' = 0 /\ wbPc' = none
                      /\ IF isFirst
                         THEN \* if (!req) { ret = -ENOMEM; goto out_free_req_pool; }
                              reqPool' = rq1 /\ wbRet' = "ENOMEM"
                         ELSE \* if (!req) { blk_finish_plug(&plug); ...
                              reqPool' = [j \in Reqs |->
                                       IF rq1[j].bio = "plugged"
                                       THEN [rq1[j] EXCEPT !.bio = "issued"]
                                       ELSE rq1[j]]
                              /\ UNCHANGED wbRet
    /\ UNCHANGED <<envVars, ppVars, endioVars, doneCnt, deadTouch, poolN, drainI, owed>>

nextRequest == NextRequest("nextRequest", "startPlug", "freePool", TRUE)

(* zram_writeback_slots(): blk_start_plug(&plug).  Bios submitted from    *)
(* here on wait in the plug until blk_finish_plug.                        *)
startPlug ==
    /\ wbPc = "startPlug"
    /\ wbPc' = "select"
    /\ UNCHANGED <<envVars, ppVars, loopVars, poolVars, endioVars>>

(* while ((req->pps = select_pp_slot(ctl))).  select_pp_slot does          *)
(* not unlink the pp-slot; any Selectable linked one may be next.  On NULL *)
(* the loop ends with req->pps = NULL.                                     *)
select ==
    /\ wbPc = "select"
    /\ IF ppCtl = {}
       THEN /\ SetReq(wbReq, "pps", NoPps)
            /\ wbPc' = "finishPlug"
       ELSE \E pps \in Selectable(ppCtl) :
              /\ SetReq(wbReq, "pps", pps)
              /\ wbPc' = "limitCheck"
    /\ UNCHANGED <<envVars, ppVars, loopVars, endioVars, doneCnt, deadTouch>>

(* Loop top: spin_lock(wb_limit_lock); if (wb_limit_enable &&              *)
(* !bd_wb_limit) { ret = -EIO; break; }  The ghost epoch of the check is  *)
(* kept on the request (WbLimit).                                          *)
limitCheck ==
    /\ wbPc = "limitCheck"
    /\ IF WbLimitEnable /\ bdLimit = 0
       THEN /\ wbRet' = "EIO"
            /\ wbPc' = "finishPlug"
            /\ UNCHANGED reqPool
       ELSE /\ SetReq(wbReq, "epoch", limEpoch)
            /\ wbPc' = "allocBlock"
            /\ UNCHANGED wbRet
    /\ UNCHANGED <<envVars, ppVars, endioVars, doneCnt, deadTouch, poolN, cntOff, nrI, wbReq,
                   drainI, owed>>

(* if (!req->blk_idx) { req->blk_idx = alloc_block_bdev();                 *)
(* if (!req->blk_idx) { ret = -ENOSPC; break; } }  The block stays with    *)
(* the request until a completion moves it to a slot.                      *)
allocBlock ==
    /\ wbPc = "allocBlock"
    /\ IF reqPool[wbReq].blk # 0
       THEN wbPc' = "readSlot" /\ UNCHANGED <<bitmap, reqPool, wbRet>>
       ELSE LET b == LowestFree(WbBlocks) IN
            IF b = -1
            THEN /\ wbRet' = "ENOSPC"
                 /\ wbPc' = "finishPlug"
                 /\ UNCHANGED <<bitmap, reqPool>>
            ELSE /\ bitmap' = bitmap \cup {b}
                 /\ SetReq(wbReq, "blk", b)
                 /\ wbPc' = "readSlot"
                 /\ UNCHANGED wbRet
    /\ UNCHANGED <<limitVars, envOwn, ppVars, endioVars, tbl, slotLock, disk, doneCnt,
                   deadTouch, poolN, cntOff, nrI, wbReq, drainI, owed>>

(* index = req->pps->index; zram_slot_lock(); if                          *)
(* (!ZRAM_PP_SLOT) goto next (lock held); zram_read_from_zspool(req->page);*)
(* zram_slot_unlock().                                                     *)
readSlot ==
    LET s == reqPool[wbReq].pps[2] IN
    /\ wbPc = "readSlot"
    /\ LockFree(s)
    /\ IF ~TestFlag(s, "ZRAM_PP_SLOT")
       THEN /\ slotLock' = [slotLock EXCEPT ![s] = "wb"]
            /\ wbPc' = "next"
            /\ UNCHANGED reqPool
       ELSE /\ SetReq(wbReq, "data", Page(s, tbl[s].ver))
            /\ wbPc' = "submitBio"
            /\ UNCHANGED slotLock
    /\ UNCHANGED <<limitVars, envOwn, ppVars, loopVars, endioVars, tbl, bitmap, disk, doneCnt,
                   deadTouch>>

(* release_pp_slot(pps) (v6.17): list_del_init(&pps->entry); slot lock;    *)
(* clear ZRAM_PP_SLOT; unlock; kfree(pps).  A NULL pps is dereferenced.    *)
ReleasePpSlot(pps) ==
    IF pps = NoPps
    THEN /\ nullDeref' = TRUE
         /\ UNCHANGED <<tbl, ppCtl, ppFreed>>
    ELSE /\ LockFree(pps[2])
         /\ tbl' = [tbl EXCEPT ![pps[2]].flags = @ \ {"ZRAM_PP_SLOT"}]
         /\ ppCtl' = ppCtl \ {pps}
         /\ ppFreed' = ppFreed \cup {pps}
         /\ UNCHANGED nullDeref

(* The loop's next: label: zram_slot_unlock(); release_pp_slot();          *)
(* req->pps = NULL; cond_resched().  Unlock and release_pp_slot's re-lock  *)
(* are one step, as in single.                                             *)
UnlockAndRelease(lbl, r, ret) ==
    LET pps == reqPool[r].pps IN
    /\ wbPc = lbl
    /\ slotLock' = [slotLock EXCEPT ![pps[2]] = NoOwner]
    /\ tbl' = [tbl EXCEPT ![pps[2]].flags = @ \ {"ZRAM_PP_SLOT"}]
    /\ ppCtl' = ppCtl \ {pps}
    /\ ppFreed' = ppFreed \cup {pps}
    /\ SetReq(r, "pps", NoPps)
    /\ wbPc' = ret
    /\ UNCHANGED <<limitVars, envOwn, loopVars, endioVars, bitmap, disk, doneCnt, deadTouch,
                   scanPos, nullDeref>>

next == UnlockAndRelease("next", wbReq, "select")

(* bio_init(&req->bio, ..., REQ_OP_WRITE | REQ_SYNC); sector =             *)
(* blk_idx; bi_end_io = zram_writeback_endio; bi_private = req;            *)
(* __bio_add_page; list_del_init(&req->pps->entry) (the request now owns   *)
(* the pp-slot); submit_bio() -- into the plug.  The task now holds no     *)
(* request (req is reassigned by the do-while).  Fixed LIMIT_AT_COMPLETION:*)
(* charge the limit here, before submission.                               *)
submitBio ==
    /\ wbPc = "submitBio"
    /\ SetReq(wbReq, "bio", "plugged")
    /\ ppCtl' = ppCtl \ {reqPool[wbReq].pps}
    /\ owed' = owed + 1
    /\ IF On("LIMIT_AT_COMPLETION")                     \* guard:limit-at-completion
       THEN UNCHANGED <<bdLimit, limPages>>
       ELSE ChargeLimit(reqPool[wbReq].epoch)
    /\ wbReq' = NoReq
    /\ nrI' = 0
    /\ wbPc' = "getRequest"
    /\ UNCHANGED <<tableVars, envOwn, endioVars, doneCnt, deadTouch, scanPos, ppFreed,
                   nullDeref, wbRet, poolN, cntOff, drainI>>

(* After submit_bio: do { req = zram_writeback_next_request(); if (!req) { *)
(* blk_finish_plug(&plug); wait_for_completion_io(&done);                  *)
(* blk_start_plug(&plug); } } while (!req).  blk_finish_plug issues every  *)
(* plugged bio to the device; it is done in the step that finds NULL.      *)
getRequest == NextRequest("getRequest", "writebackComplete", "waitCompletion", FALSE)

(* wait_for_completion_io(&done): sleep until done.done > 0, take one.     *)
(* Then blk_start_plug and the do-while tries again.                       *)
waitCompletion ==
    /\ wbPc = "waitCompletion"
    /\ doneCnt > 0
    /\ doneCnt' = doneCnt - 1
    /\ owed' = owed - 1
    /\ wbPc' = "getRequest"
    /\ UNCHANGED <<envVars, ppVars, endioVars, reqPool, deadTouch, wbRet, poolN, cntOff, nrI, wbReq,
                   drainI>>

(* A task that goes to sleep with plugged IO flushes its plug first        *)
(* (kernel/sched/core.c): wait_for_completion_io() sleeps through          *)
(* io_schedule_timeout(), whose io_schedule_prepare() calls                *)
(* blk_flush_plug(current->plug, true), and schedule() does the same in    *)
(* sched_submit_work().  The task sleeps on `done` where it waits with     *)
(* done.done = 0 (waitCompletion, drainWait, drainCount); the flush issues *)
(* the plugged bios and the task stays at its label, asleep.  The patch    *)
(* finishes the plug before each of those waits (in the do-while before    *)
(* wait_for_completion_io, and after the loop), so in these models the     *)
(* plug is empty there and this step is never enabled; it keeps a variant  *)
(* without the first blk_finish_plug from sleeping on bios it never sent,  *)
(* as the kernel does (docs/conformance.md).                               *)
SchedSubmitWork ==
    /\ wbPc \in {"waitCompletion", "drainWait", "drainCount"}
    /\ doneCnt = 0
    /\ \E j \in Reqs : reqPool[j].bio = "plugged"
    /\ reqPool' = [j \in Reqs |-> IF reqPool[j].bio = "plugged"
                                  THEN [reqPool[j] EXCEPT !.bio = "issued"]
                                  ELSE reqPool[j]]
    /\ UNCHANGED <<envVars, ppVars, loopVars, endioVars, wbPc, doneCnt, deadTouch>>

(***************************************************************************)
(* zram_writeback_complete(zram, req):                                     *)
(*   if (!test_and_clear_bit(COMPLETED)) return 0;                         *)
(*   err = blk_status_to_errno(bi_status); if (err) return err;            *)
(*   index = req->pps->index; bd_writes++; zram_slot_lock(index);          *)
(*   if (!ZRAM_PP_SLOT) goto next;  [NO_PP_RECHECK drops this re-test]     *)
(*   zram_free_page; set ZRAM_WB; handle = req->blk_idx; req->blk_idx = 0; *)
(*   wb_limit_lock: charge the limit [LIMIT_AT_COMPLETION only];           *)
(*   next: zram_slot_unlock; release_pp_slot(req->pps); req->pps = NULL.   *)
(* The bit test and the lock are one step: COMPLETED is only read by the   *)
(* task.  On the error path, the fixed LIMIT_AT_COMPLETION refunds the     *)
(* charge, into the budget it was taken from only: if a                    *)
(* writeback_limit_store landed since the check (epoch differs), the new   *)
(* budget is not topped up.                                                *)
(***************************************************************************)
WritebackComplete(lbl, r, nextLbl, errLbl, retLbl) ==
    LET pps == reqPool[r].pps
        s == pps[2] IN
    /\ wbPc = lbl
    /\ IF "COMPLETED" \notin reqPool[r].flags
       THEN /\ wbPc' = retLbl
            /\ UNCHANGED <<reqPool, tbl, slotLock, bitmap, bdLimit, limPages, nullDeref>>
       ELSE IF reqPool[r].err
       THEN /\ reqPool' = [reqPool EXCEPT ![r].flags = @ \ {"COMPLETED"}, ![r].epoch = 0]
            /\ IF ~On("LIMIT_AT_COMPLETION") /\ reqPool[r].epoch = limEpoch   \* guard:limit-refund
               THEN /\ bdLimit' = IF WbLimitEnable THEN bdLimit + 1 ELSE bdLimit
                    /\ limPages' = limPages - 1
               ELSE UNCHANGED <<bdLimit, limPages>>
            /\ wbPc' = errLbl
            /\ UNCHANGED <<tbl, slotLock, bitmap, nullDeref>>
       ELSE IF pps = NoPps
       THEN \* index = req->pps->index on NULL
            /\ nullDeref' = TRUE
            /\ reqPool' = [reqPool EXCEPT ![r].flags = @ \ {"COMPLETED"}]
            /\ wbPc' = retLbl
            /\ UNCHANGED <<tbl, slotLock, bitmap, bdLimit, limPages>>
       ELSE
            /\ LockFree(s)
            /\ slotLock' = [slotLock EXCEPT ![s] = "wb"]
            /\ UNCHANGED nullDeref
            /\ IF ~On("NO_PP_RECHECK") /\ ~TestFlag(s, "ZRAM_PP_SLOT")   \* guard:pp-recheck
               THEN /\ reqPool' = [reqPool EXCEPT ![r].flags = @ \ {"COMPLETED"}, ![r].epoch = 0]
                    /\ UNCHANGED <<tbl, bitmap, bdLimit, limPages>>
               ELSE /\ bitmap' = FreePageBitmap(tbl, bitmap, s)
                    /\ tbl' = [tbl EXCEPT ![s] =
                                  [flags |-> {"ZRAM_WB"}, handle |-> reqPool[r].blk, ver |-> 0]]
                    /\ reqPool' = [reqPool EXCEPT ![r].flags = @ \ {"COMPLETED"}, ![r].blk = 0,
                                        ![r].epoch = 0]
                    /\ IF On("LIMIT_AT_COMPLETION")     \* guard:limit-at-completion
                       THEN ChargeLimit(reqPool[r].epoch)
                       ELSE UNCHANGED <<bdLimit, limPages>>
            /\ wbPc' = nextLbl
    /\ UNCHANGED <<envOwn, loopVars, endioVars, disk, doneCnt, deadTouch, scanPos, ppCtl,
                   ppFreed>>

(* err = zram_writeback_complete(zram, req) on the request the             *)
(* do-while got back; 0 -> cond_resched(); continue.                       *)
writebackComplete ==
    WritebackComplete("writebackComplete", wbReq, "completeNext", "completeError", "select")

completeNext == UnlockAndRelease("completeNext", wbReq, "select")

(* Then: if (err) { release_pp_slot(zram, req->pps); req->pps =           *)
(* NULL; ret = err; } cond_resched(); continue.  The request keeps its    *)
(* block for the next page.                                                *)
completeError ==
    /\ wbPc = "completeError"
    /\ ReleasePpSlot(reqPool[wbReq].pps)
    /\ SetReq(wbReq, "pps", NoPps)
    /\ wbRet' = "EBIO"
    /\ wbPc' = "select"
    /\ UNCHANGED <<limitVars, envOwn, endioVars, slotLock, bitmap, disk, doneCnt, deadTouch,
                   scanPos, poolN, cntOff, nrI, wbReq, drainI, owed>>

(* After the loop: blk_finish_plug(&plug) issues the plugged bios;        *)
(* if (req) clear_bit(ALLOCATED, &req->flags) returns the task's own      *)
(* request.                                                                *)
finishPlug ==
    /\ wbPc = "finishPlug"
    /\ reqPool' = [j \in Reqs |->
                LET r1 == IF reqPool[j].bio = "plugged" THEN [reqPool[j] EXCEPT !.bio = "issued"]
                          ELSE reqPool[j]
                IN IF j = wbReq THEN [r1 EXCEPT !.flags = @ \ {"ALLOCATED"}] ELSE r1]
    /\ drainI' = 0
    /\ wbPc' = IF On("REQ_POOL_UAF") THEN "drainTest" ELSE "drainCount"   \* guard:req-pool-uaf
    /\ UNCHANGED <<envVars, ppVars, endioVars, doneCnt, deadTouch, wbRet, poolN, cntOff, nrI,
                   wbReq, owed>>

(* Fixed REQ_POOL_UAF (not in the patch): before the drain loop, while     *)
(* (waited < submitted) wait_for_completion_io(&done).  Every endio's last *)
(* touch of the pool and of `done` is complete(); once the task has taken  *)
(* one complete() per bio it submitted, no endio is still running.         *)
drainCount ==
    /\ wbPc = "drainCount"
    /\ IF owed = 0
       THEN wbPc' = "drainTest" /\ UNCHANGED <<doneCnt, owed>>
       ELSE /\ doneCnt > 0
            /\ doneCnt' = doneCnt - 1
            /\ owed' = owed - 1
            /\ wbPc' = "drainCount"
    /\ UNCHANGED <<envVars, ppVars, endioVars, reqPool, deadTouch, wbRet, poolN, cntOff, nrI, wbReq,
                   drainI>>

(* The drain: for (i = 0; i < req_pool_cnt; i++) { while (test_bit(        *)
(* ALLOCATED, &req_pool[i].flags)) wait_for_completion_io(&done);          *)
drainTest ==
    /\ wbPc = "drainTest"
    /\ wbPc' = IF "ALLOCATED" \in reqPool[drainI].flags THEN "drainWait" ELSE "drainComplete"
    /\ UNCHANGED <<envVars, ppVars, loopVars, poolVars, endioVars>>

drainWait ==
    /\ wbPc = "drainWait"
    /\ doneCnt > 0
    /\ doneCnt' = doneCnt - 1
    /\ owed' = owed - 1
    /\ wbPc' = "drainTest"
    /\ UNCHANGED <<envVars, ppVars, endioVars, reqPool, deadTouch, wbRet, poolN, cntOff, nrI, wbReq,
                   drainI>>

(* Drain: err = zram_writeback_complete(zram, &req_pool[i]).               *)
drainComplete ==
    WritebackComplete("drainComplete", drainI, "drainCompleteNext", "drainError",
                      "drainRelease")

drainCompleteNext == UnlockAndRelease("drainCompleteNext", drainI, "drainRelease")

(* Drain: if (err) { release_pp_slot(zram, req_pool[i].pps);               *)
(* req->pps = NULL; ret = err; }  WRONG_PPS_CLEAR: as posted, `req` is the *)
(* main loop's last request, so req_pool[i].pps keeps the freed pp-slot;   *)
(* fixed: req_pool[i].pps = NULL.                                          *)
drainError ==
    /\ wbPc = "drainError"
    /\ ReleasePpSlot(reqPool[drainI].pps)
    /\ IF On("WRONG_PPS_CLEAR") /\ wbReq # NoReq         \* guard:wrong-pps-clear
       THEN SetReq(wbReq, "pps", NoPps)
       ELSE SetReq(drainI, "pps", NoPps)
    /\ wbRet' = "EBIO"
    /\ wbPc' = "drainRelease"
    /\ UNCHANGED <<limitVars, envOwn, endioVars, slotLock, bitmap, disk, doneCnt, deadTouch,
                   scanPos, poolN, cntOff, nrI, wbReq, drainI, owed>>

(* Drain: if (req_pool[i].blk_idx) free_block_bdev(); if                   *)
(* (req_pool[i].page) __free_page().  Next i, or leave the loop.           *)
drainRelease ==
    /\ wbPc = "drainRelease"
    /\ bitmap' = bitmap \ {reqPool[drainI].blk}
    /\ reqPool' = [reqPool EXCEPT ![drainI].blk = 0, ![drainI].page = FALSE]
    /\ IF drainI + 1 = poolN
       THEN wbPc' = "freePool" /\ UNCHANGED drainI
       ELSE wbPc' = "drainTest" /\ drainI' = drainI + 1
    /\ UNCHANGED <<limitVars, envOwn, ppVars, endioVars, tbl, slotLock, disk, doneCnt,
                   deadTouch, wbRet, poolN, cntOff, nrI, wbReq, owed>>

(* out_free_req_pool: if (req_pool != req_prealloc)                        *)
(* kfree(req_pool); return ret.  The stack frame holding `done` and        *)
(* req_prealloc ends with the return: from here on both are dead           *)
(* (PoolLive is FALSE).                                                    *)
freePool ==
    /\ wbPc = "freePool"
    /\ wbPc' = "releaseCtl"
    /\ UNCHANGED <<envVars, ppVars, loopVars, poolVars, endioVars>>

(* writeback_store: release_pp_ctl() releases the pp-slots still linked    *)
(* (after a break), then pp_in_progress = 0, up_read(init_lock).           *)
releaseCtl ==
    /\ wbPc = "releaseCtl"
    /\ IF ppCtl = {}
       THEN /\ wbPc' = IF wbRun < WbRuns THEN "nextRun" ELSE "done"
            /\ UNCHANGED <<tbl, ppCtl, ppFreed, nullDeref>>
       ELSE /\ ReleasePpSlot(CHOOSE pps \in ppCtl : TRUE)
            /\ wbPc' = "releaseCtl"
    /\ UNCHANGED <<limitVars, envOwn, loopVars, poolVars, endioVars, slotLock, bitmap, disk,
                   scanPos>>

(* writeback_store() called again (WbRuns > 1): a fresh pp_ctl (its       *)
(* pp-slots are new allocations: ppFreed, keyed by scan position, starts   *)
(* empty) and a new scan; zram_writeback_slots() will kzalloc a new pool   *)
(* and start its locals and on-stack completion afresh.                    *)
nextRun ==
    /\ wbPc = "nextRun"
    /\ wbRun' = wbRun + 1
    /\ scanPos' = 1
    /\ ppCtl' = {}
    /\ ppFreed' = {}
    /\ wbRet' = "ok"
    /\ poolN' = 0
    /\ cntOff' = 0
    /\ nrI' = 0
    /\ wbReq' = NoReq
    /\ drainI' = 0
    /\ owed' = 0
    /\ reqPool' = [i \in Reqs |-> ZeroReq]
    /\ doneCnt' = 0
    /\ wbPc' = "scan"
    /\ UNCHANGED <<envVars, endioVars, nullDeref, deadTouch>>

WbStep ==
    \/ /\ \/ scan \/ poolAlloc \/ nextRequest \/ startPlug \/ select \/ limitCheck
          \/ allocBlock \/ readSlot \/ next \/ submitBio \/ getRequest \/ waitCompletion
          \/ writebackComplete \/ completeNext \/ completeError \/ finishPlug
          \/ drainCount \/ drainTest \/ drainWait \/ drainComplete \/ drainCompleteNext
          \/ drainError \/ drainRelease \/ freePool \/ releaseCtl \/ SchedSubmitWork
       /\ UNCHANGED wbRun
    \/ nextRun

-----------------------------------------------------------------------------
(* The backing device: an issued bio of request i completes, with success  *)
(* (the page lands on req->blk_idx) or, when BioErrors, with an error      *)
(* (bi_status; the block keeps what it had); bio_endio then calls          *)
(* zram_writeback_endio.  A bio in a dead pool is a use after free.        *)
bioEndio(i) ==
    /\ reqPool[i].bio = "issued"
    /\ endioPc[i] = "idle"
    /\ \/ /\ disk' = [disk EXCEPT ![reqPool[i].blk] = reqPool[i].data]
          /\ reqPool' = [reqPool EXCEPT ![i].bio = "idle", ![i].err = FALSE, ![i].data = Zero]
       \/ /\ BioErrors
          /\ reqPool' = [reqPool EXCEPT ![i].bio = "idle", ![i].err = TRUE, ![i].data = Zero]
          /\ UNCHANGED disk
    /\ endioPc' = [endioPc EXCEPT ![i] = "endioSetCompleted"]
    /\ deadTouch' = IF PoolLive THEN deadTouch ELSE deadTouch \cup {"pool"}
    /\ UNCHANGED <<limitVars, envOwn, taskVars, tbl, slotLock, bitmap, doneCnt, endioLate>>

(* zram_writeback_endio(), its first statement: set_bit(COMPLETED);        *)
endioSetCompleted(i) ==
    /\ endioPc[i] = "endioSetCompleted"
    /\ reqPool' = [reqPool EXCEPT ![i].flags = @ \cup {"COMPLETED"}]
    /\ deadTouch' = IF PoolLive THEN deadTouch ELSE deadTouch \cup {"pool"}
    /\ endioPc' = [endioPc EXCEPT ![i] = "endioClearAllocated"]
    /\ UNCHANGED <<envVars, taskVars, doneCnt, endioLate>>

(* Its second: clear_bit(ALLOCATED): from here the task may reuse the      *)
(* request, and the as-posted drain stops waiting for it.                  *)
endioClearAllocated(i) ==
    /\ endioPc[i] = "endioClearAllocated"
    /\ reqPool' = [reqPool EXCEPT ![i].flags = @ \ {"ALLOCATED"}]
    /\ deadTouch' = IF PoolLive THEN deadTouch ELSE deadTouch \cup {"pool"}
    /\ endioPc' = [endioPc EXCEPT ![i] = "idle"]
    /\ endioLate' = [endioLate EXCEPT ![i] = @ + 1]
    /\ UNCHANGED <<envVars, taskVars, doneCnt>>

(* Its third and last: complete(req->done): reads req->done from the     *)
(* pool, done.done++ under done.wait.lock and wakes the waiter.  Its last *)
(* touch of both.                                                          *)
endioComplete(i) ==
    /\ endioLate[i] > 0
    /\ endioLate' = [endioLate EXCEPT ![i] = @ - 1]
    /\ IF PoolLive
       THEN doneCnt' = doneCnt + 1 /\ UNCHANGED deadTouch
       ELSE deadTouch' = deadTouch \cup {"pool", "completion"} /\ UNCHANGED doneCnt
    /\ UNCHANGED <<envVars, taskVars, reqPool, endioPc>>

EndioStep(i) == endioSetCompleted(i) \/ endioClearAllocated(i) \/ endioComplete(i)

\* Everything has returned and nothing is in flight: stutter, so that TLC's
\* deadlock check only reports a process stuck before its end.
Finished ==
    /\ wbPc = "done" /\ EnvDone
    /\ \A i \in Reqs : endioPc[i] = "idle" /\ endioLate[i] = 0 /\ reqPool[i].bio = "idle"
    /\ UNCHANGED vars

\* Each step names its process and label in lastStep (see ZramCommon).
Next ==
    \/ WbStep /\ Took("wb", wbPc)
    \/ \E i \in Reqs :
         \/ bioEndio(i) /\ Took(Instance("bdev", i), "bioEndio")
         \/ (endioSetCompleted(i) \/ endioClearAllocated(i))
              /\ Took(Instance("endio", i), endioPc[i])
         \/ endioComplete(i) /\ Took(Instance("endio", i), "endioComplete")
    \/ EnvNext(wbVars)
    \/ Finished /\ UNCHANGED lastStep

\* Bio completion is fair, every endio runs to its end, and every process
\* (each lock holder) eventually runs on.
Fairness ==
    /\ WF_vars(WbStep)
    /\ \A i \in Reqs : WF_vars(bioEndio(i))
    /\ \A i \in Reqs : WF_vars(EndioStep(i))
    /\ \A p \in EnvProcs : WF_vars(EnvStep(p, wbVars))

Spec == Init /\ [][Next]_vars /\ Fairness

-----------------------------------------------------------------------------
\* Owners of reserved blocks: ZRAM_WB slots and each live request's blk_idx
\* (also the block of its bio while in flight).
ReqHolders == IF PoolLive
              THEN { [who |-> <<"req", i>>, blk |-> reqPool[i].blk] :
                         i \in {j \in Pool : reqPool[j].blk # 0} }
              ELSE {}
Holders == SlotHolders \cup ReqHolders
BlockNoDoubleUse == NoDoubleUse(Holders)
BlockNoLeak == NoLeak(Holders)
BlockHeldIsReserved == HeldIsReserved(Holders)

\* Memory lifetime, in named parts.
\* NoUseAfterFree: nothing touched the freed pool or the dead on-stack
\* completion (an endio step or a bio completion after freePool).
NoUseAfterFree == deadTouch = {}
\* NoDanglingPps: no request of the live pool holds a released pp-slot.
NoDanglingPps == PoolLive => \A i \in Pool : reqPool[i].pps \notin ppFreed
\* NoNullPpsDeref: no NULL pp-slot was dereferenced.
NoNullPpsDeref == ~nullDeref

\* Liveness: with fair bio completion the writeback always returns.
WritebackReturns == <>(wbPc = "done")
=============================================================================
