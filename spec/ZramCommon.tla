----------------------------- MODULE ZramCommon -----------------------------
(***************************************************************************)
(* What every zram writeback design shares: the slot table, the per-slot   *)
(* lock, the backing-device bitmap and blocks, the limit, and the          *)
(* environment that runs concurrently with a writeback -- slot free        *)
(* (zram_slot_free_notify, discard), overwrite (zram_write_page), read     *)
(* (zram_read_page + zram_accessed) and, where the design permits it, the  *)
(* writeback_limit store.  A design module EXTENDS this one, adds its own  *)
(* variables and the writeback task, and takes EnvNext(itsOwnVariables). *)
(*                                                                         *)
(* C references are to drivers/block/zram/zram_drv.c (v6.17, gregkh/linux  *)
(* @27997aca, see docs/sources.md) unless said otherwise.                  *)
(*                                                                         *)
(* Abstractions, each made here and nowhere else:                          *)
(*  - Data is a version number.  The page a slot holds is <<slot, ver>>;   *)
(*    a freed slot reads as the zero page (zram_read_from_zspool with      *)
(*    handle 0 fills zeros); a block never written holds Junk.             *)
(*  - Only ZRAM_WB and ZRAM_PP_SLOT are modelled among the slot flags:     *)
(*    the scan uses page_indexes= (no IDLE/HUGE filter), and SAME pages    *)
(*    are not written back.  zsmalloc is "the version held in memory".     *)
(*  - A lock-protected critical section that nobody else can observe in    *)
(*    the middle (it touches only state under that lock, or atomic bitops) *)
(*    is one step: "await the lock is free; do it; release".  Where the C  *)
(*    holds a lock across a point another CPU may act on, the spec holds   *)
(*    slotLock[s] across labels too.                                       *)
(*  - Every environment process performs one operation on a slot it        *)
(*    chooses nondeterministically, at any moment of the writeback.        *)
(*    "write2" is a second zram_bio_write() (issue 15 item 3): with        *)
(*    "write" and "discard" or "freeNotify" it puts two writers on one     *)
(*    slot, a write racing a free, and a read racing both -- all of which  *)
(*    the C allows (the I/O paths take no device lock, docs/locks.md).     *)
(*    A model without "write2" is the one-operation environment as before. *)
(*  - WbRuns: the task calls writeback_store() WbRuns times in a row, the  *)
(*    environment running during and between the calls (a design's nextRun *)
(*    label; single and multipage -- batched takes WbRuns = 1).  Between   *)
(*    calls the C may also mark idle slots, recompress, or reset and       *)
(*    re-initialise the device; none of those is modelled (docs/locks.md).  *)
(*  - zsmalloc handle lifetime (issue 15 item 1) is tracked for the one    *)
(*    handle that can be used outside its slot lock: the one a reader      *)
(*    takes under the lock and maps after dropping it (ZS_READ_UNLOCKED).  *)
(*    Every other use of a handle in the C -- the writeback's readSlot,    *)
(*    zram_free_page(), the completion's zs_free() -- is under the slot   *)
(*    lock on the slot's current handle, so it cannot meet a freed one.    *)
(*    rdZs names who owns the object behind the held handle: its slot     *)
(*    (and version) while the slot keeps it; 0 once it is freed -- by a    *)
(*    free, a discard or an overwrite of that slot (here), or by the       *)
(*    writeback's completion (every design's completion frees the object  *)
(*    as it sets ZRAM_WB: 6.19 through slot_free(), 7.0 through zs_free(), *)
(*    so "the owner became ZRAM_WB" is "freed", read off tbl: HeldFreed);  *)
(*    another slot once a write's zs_malloc() hands the freed object out   *)
(*    again.  zsmalloc hands out recently freed objects first; the model   *)
(*    lets the first allocation after the free take the held one (the     *)
(*    other order, the map before any allocation, is the freed-use one).   *)
(*    Without the switch no reader holds a handle across steps, rdZs stays *)
(*    NoZs and no state count moves.                                       *)
(*  - The read of a ZRAM_WB slot (issue 15 item 2).  AsyncRead = "off":    *)
(*    the device read is one step of the reader (readBio), as              *)
(*    read_from_bdev_sync() waits for it; every model before issue 15.     *)
(*    zram_bio_read() passes its bio as the parent, so the kernel takes    *)
(*    read_from_bdev_async(): the reader submits a child bio (readSubmit)  *)
(*    and returns at once -- zram_accessed() / mark_slot_accessed() run    *)
(*    while the device read is in flight -- and the child ends later, in   *)
(*    its own step (readEndio), which ends the parent if zram_bio_read()   *)
(*    already has.  "chained" (v6.17, v6.19): bio_alloc(GFP_NOIO) from the *)
(*    bio_set's mempool, which does not fail, and bio_chain(); "rbReq"     *)
(*    (7.0+, raspberrypi/linux@052b6b2d): kmalloc of a zram_rb_req and     *)
(*    bio_alloc(), each of which may fail (-ENOMEM: the read fails), and   *)
(*    bio_inc_remaining(parent) with zram_async_read_endio(), which ends   *)
(*    the parent.  rdVal is then the parent's page: Junk (a page nobody    *)
(*    wrote) until the child's data lands, and the read has returned       *)
(*    (ReadReturned) once the parent completed.  The async path has no    *)
(*    re-check in any kernel (the endio cannot take a slot lock), so       *)
(*    ReadRechecks is for the synchronous path only; compressed            *)
(*    writeback's deferred decompression (batched) is not combined with    *)
(*    it here.                                                             *)
(*                                                                         *)
(* Variables, by writer: tableVars (the slot table, its locks and the      *)
(* backing device: every process), limitVars (the limit: the writeback's   *)
(* charge and writeback_limit_store), envOwn (what only the environment    *)
(* writes: its processes' locals and the ghosts of what they did; zsOwn,   *)
(* the reader's held zsmalloc handle, is a part of it).  A                 *)
(* design adds its own groups; an action's frame names whole groups plus   *)
(* the few variables of a group it writes in part.                         *)
(*                                                                         *)
(* Labels of the environment and the C each models (the values of envPc;   *)
(* EnvTypeOK proves the set complete; docs/map.md is checked against this  *)
(* table):                                                                 *)
(*  freeNotify            zram_slot_free_notify(): trylock,                *)
(*                        zram_free_page()                                 *)
(*  discard               zram_bio_discard(): lock, zram_free_page()       *)
(*  writeInstall          zram_write_page(): under the slot lock           *)
(*                        zram_free_page() + the new object                *)
(*  writeAccessed         zram_bio_write() -> zram_accessed()              *)
(*  readLock              zram_read_page(): lock, ZRAM_WB?, handle (6/6:   *)
(*                        under the lock), unlock                          *)
(*  readHandleUnlocked    zram_get_handle() after the unlock               *)
(*                        (READ_BLKIDX_UNLOCKED)                           *)
(*  readZsUnlocked        zram_read_from_zspool() after the unlock, on the *)
(*                        handle taken under it (ZS_READ_UNLOCKED)         *)
(*  readBio               read_from_bdev(): the read bio reaches the block *)
(*  readSubmit            read_from_bdev_async() (AsyncRead): allocate the *)
(*                        child bio (7.x: and a zram_rb_req; either may    *)
(*                        fail, -ENOMEM), chain it to the parent,          *)
(*                        submit_bio()                                     *)
(*  readEndio             the device ends the child bio (AsyncRead): the   *)
(*                        block into the page, then bio_endio(parent)      *)
(*  readRecheck           the proposed re-check: lock, still ZRAM_WB on    *)
(*                        the same block?                                  *)
(*  readAccessed          zram_bio_read() -> zram_accessed()               *)
(*  limitStore            writeback_limit_store() (single, multipage only) *)
(*  envDone               (returned)                                       *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, Sequences, TLC

CONSTANTS
    Slots,            \* zram slot indexes under test, e.g. {1, 2}
    MaxBlock,         \* backing-device blocks are 0..MaxBlock
    Switches,         \* the defect switches on in this model (docs/defects/ names)
    EnvProcs,         \* environment processes that run, a subset of AllEnvProcs
    WbLimitEnable,    \* zram->wb_limit_enable
    WbLimitInit,      \* zram->bd_wb_limit when writeback starts
    WbLimitStores,    \* values a concurrent writeback_limit_store may write
    BioErrors,        \* TRUE: a write bio may complete with an error
    WbRuns,           \* how many times the task runs writeback_store (1: once)
    AsyncRead         \* the read of a ZRAM_WB slot: "off" (synchronous, one step),
                      \*   "chained" (v6.17/v6.19 read_from_bdev_async) or "rbReq" (7.0+)

AllEnvProcs == {"freeNotify", "discard", "write", "read", "limitStore", "write2"}

\* The labels of the environment processes (values of envPc): EnvTypeOK
\* holds every reachable envPc to this set, so TLC proves it complete;
\* docs/map.md and the Java twin's step hooks use exactly these names.
EnvLabels == {"freeNotify", "discard", "writeInstall", "writeAccessed", "readLock",
              "readHandleUnlocked", "readZsUnlocked", "readBio", "readRecheck",
              "readAccessed", "limitStore", "envDone", "readSubmit", "readEndio"}

ASSUME Slots \subseteq Nat \ {0} /\ Slots # {}
ASSUME MaxBlock \in Nat
ASSUME EnvProcs \subseteq AllEnvProcs
ASSUME WbLimitEnable \in BOOLEAN /\ WbLimitInit \in Nat
ASSUME WbLimitStores \subseteq Nat /\ BioErrors \in BOOLEAN
ASSUME WbRuns \in Nat \ {0}
ASSUME AsyncRead \in {"off", "chained", "rbReq"}

On(sw) == sw \in Switches               \* is defect switch sw on?

NoOwner == "none"                       \* slotLock[s] when the slot is unlocked
DiskBlocks == 0..MaxBlock
Zero == <<0, 0>>                        \* the zero-filled page of a freed slot
Junk == <<0, -1>>                       \* a block nobody ever wrote
Failed == <<0, -2>>                     \* rdVal of a read whose bio failed (no data)
ZsHandle == -1                          \* the handle of a slot held in zsmalloc: not a block
NoZs == [by |-> -1, data |-> Zero]          \* rdZs when the reader holds no zsmalloc handle
Page(s, v) == IF v = 0 THEN Zero ELSE <<s, v>>

\* The shared state: the writeback and the environment write it.
VARIABLES
    tbl,        \* zram->table[s]: [flags, handle, ver]; flags \subseteq {"ZRAM_WB", "ZRAM_PP_SLOT"};
                \*   handle = block index of a ZRAM_WB slot; ver = version held in zsmalloc (0: none)
    slotLock,   \* ZRAM_ENTRY_LOCK owner of each slot (a process name) or NoOwner
    bitmap,     \* zram->bitmap: the set of reserved backing-device blocks
    disk        \* what each backing-device block holds

\* The limit: the writeback charges it, writeback_limit_store sets it.
VARIABLES
    bdLimit,    \* zram->bd_wb_limit
    limPages    \* ghost: pages written back whose limit check followed the latest store

\* zsmalloc handle lifetime: what only the environment writes (the
\* completions' frees are read off tbl, see HeldFreed).
VARIABLES
    rdZs,       \* the object behind the handle the reader holds outside the slot lock:
                \*   [by |-> its owner slot (0: freed), data |-> the page its bytes hold
                \*   (a freed object keeps them until it is handed out again)];
                \*   NoZs when the reader holds none
    zsFreedUse  \* ghost: a freed handle was mapped (zs_obj_read_begin on a freed object)

\* AsyncRead: the child bio read_from_bdev_async() submits.
VARIABLE
    rdChild     \* "none" (not submitted), "inflight" or "ended"

\* What only the environment writes: its processes' locals and the ghosts of
\* what they did.
VARIABLES
    envPc,      \* program counter of each environment process
    envSlot,    \* the slot each environment process works on (0: not chosen yet)
    rdBlk,      \* zram_read_page: the block index the reader will read
    rdVal,      \* zram_read_page: the page the reader got
    latest,     \* ghost: the last version written to each slot (0: freed)
    rdSeen,     \* ghost: every page the read slot held while the read ran
    limEpoch,   \* ghost: how many writeback_limit_stores happened
    limStored   \* ghost: the value of the latest store (WbLimitInit at first)

\* The groups an action's frame names (a design adds its own).
tableVars == <<tbl, slotLock, bitmap, disk>>
limitVars == <<bdLimit, limPages>>
zsOwn == <<rdZs, zsFreedUse>>
rdOwn == <<rdChild>>
envOwn == <<envPc, envSlot, rdBlk, rdVal, latest, rdSeen, limEpoch, limStored, zsOwn, rdOwn>>
envVars == <<tableVars, limitVars, envOwn>>

(* The step that led to a state, for the reader of a trace: the process as *)
(* the spec names it ("wb", "endio[2]", "bdev[0]", "freeNotify", ...) and  *)
(* the label it executed.  No action reads it, and every model's config   *)
(* sets VIEW vars, which leaves it out: it adds no state, and the state   *)
(* counts are those of the spec without it.  zwb trace prints it; the     *)
(* ACTION_CONSTRAINT Reach records every label a run takes (zwb reach).   *)
VARIABLE lastStep

Took(proc, label) == lastStep' = [proc |-> proc, label |-> label]
Instance(family, i) == family \o "[" \o ToString(i) \o "]"
InitStep == lastStep = [proc |-> "init", label |-> "Init"]
\* Every step carries one of the step labels the design declares (TypeOK).
StepTypeOK(stepLabels) == lastStep.label \in stepLabels \cup {"Init"}
\* The environment's labels that a step can carry ("envDone" is where it rests).
EnvStepLabels == EnvLabels \ {"envDone"}

\* TLC register ReachRegister holds the labels taken so far; the first step
\* with a new label prints it.  TLC keeps registers per worker, so a run with
\* N workers (zwb --workers) prints each label up to N times; zwb reach takes
\* the union (seen: batched/large with 2 workers printed each of its 29 twice).
ReachRegister == 17
ASSUME TLCSet(ReachRegister, {})
Reach ==
    \/ lastStep'.label \in TLCGet(ReachRegister)
    \/ /\ PrintT(<<"zwb-reach", lastStep'.label>>)
       /\ TLCSet(ReachRegister, TLCGet(ReachRegister) \cup {lastStep'.label})

-----------------------------------------------------------------------------
\* EnvTypeOK, with labels of the read process a design adds (batched's
\* readDecompress, compressed writeback).
EnvTypeOKWith(extraLabels) ==
    /\ \A s \in Slots :
         /\ tbl[s].flags \subseteq {"ZRAM_WB", "ZRAM_PP_SLOT"}
         /\ tbl[s].handle \in DiskBlocks
         /\ tbl[s].ver \in Nat
    /\ bitmap \subseteq DiskBlocks
    /\ bdLimit \in Nat
    /\ \A p \in EnvProcs : envPc[p] \in EnvLabels \cup extraLabels
    /\ rdZs \in {NoZs} \cup [by : Slots \cup {0}, data : Slots \X Nat]
    /\ zsFreedUse \in BOOLEAN
    /\ rdChild \in {"none", "inflight", "ended"}
EnvTypeOK == EnvTypeOKWith({})

\* Where each environment process starts.
FirstLabel(p) ==
    CASE p = "freeNotify" -> "freeNotify"
      [] p = "discard"    -> "discard"
      [] p = "write"      -> "writeInstall"
      [] p = "write2"     -> "writeInstall"
      [] p = "read"       -> "readLock"
      [] p = "limitStore" -> "limitStore"

EnvInit ==
    /\ tbl = [s \in Slots |-> [flags |-> {}, handle |-> 0, ver |-> 1]]
    /\ slotLock = [s \in Slots |-> NoOwner]
    /\ bitmap = {}
    /\ disk = [b \in DiskBlocks |-> Junk]
    /\ bdLimit = WbLimitInit
    /\ envPc = [p \in EnvProcs |-> FirstLabel(p)]
    /\ envSlot = [p \in EnvProcs |-> 0]
    /\ rdBlk = 0
    /\ rdVal = Zero
    /\ latest = [s \in Slots |-> 1]
    /\ rdSeen = {}
    /\ limEpoch = 0
    /\ limStored = WbLimitInit
    /\ limPages = 0
    /\ rdZs = NoZs
    /\ zsFreedUse = FALSE
    /\ rdChild = "none"
    /\ InitStep

-----------------------------------------------------------------------------
(* Slot helpers: zram_test_flag, zram_allocated, zram_free_page.           *)

TestFlag(s, f) == f \in tbl[s].flags
Allocated(s) == tbl[s].ver # 0 \/ TestFlag(s, "ZRAM_WB")   \* zram_allocated()
LockFree(s) == slotLock[s] = NoOwner

\* zram_free_page(): clears every flag (PP_SLOT included), releases the
\* block of a ZRAM_WB slot (free_block_bdev: test_and_clear_bit), frees the
\* zsmalloc object, handle := 0.  Returns the new table and bitmap.
FreePageTbl(t, s) == [t EXCEPT ![s] = [flags |-> {}, handle |-> 0, ver |-> 0]]
FreePageBitmap(t, bm, s) ==
    IF "ZRAM_WB" \in t[s].flags THEN bm \ {t[s].handle} ELSE bm

\* What a read under the slot lock would return right now.
Content(s) == IF TestFlag(s, "ZRAM_WB") THEN disk[tbl[s].handle]
              ELSE Page(s, tbl[s].ver)
\* What the slot should hold: the last version written to it.
Expected(s) == Page(s, latest[s])

\* The slot indexes scan_slots_for_writeback visits, in order: one
\* page_indexes= range over every slot, then a second range over ScanTwice
\* (the scan does not skip a slot that already has ZRAM_PP_SLOT).
SortedSeq(S) == [i \in 1..Cardinality(S) |->
                    CHOOSE x \in S : Cardinality({y \in S : y <= x}) = i]
ScanOrder(twice) == SortedSeq(Slots) \o SortedSeq(twice)

\* The pp-slots select_pp_slot() may take next from ctl.  It takes the first
\* entry of the highest non-empty bucket, and place_pp_slot() list_add()s at
\* the head.  Object sizes (buckets) are not modelled, so any slot's pp-slot
\* may come first; but a slot's pages always compress to the same size, so
\* two pp-slots of one slot (overlapping ranges) share a bucket and the one
\* placed later is taken first.  (Without this, a trace could take them in
\* an order the C cannot: see docs/conformance.md.)
Selectable(ctl) == {p \in ctl : ~\E q \in ctl : q[2] = p[2] /\ q[1] > p[1]}

\* The lowest clear bit of the bitmap among the blocks a design may use
\* (find_next_zero_bit); -1 when every one is taken.
LowestFree(usable) ==
    IF usable \ bitmap = {} THEN -1
    ELSE CHOOSE b \in usable \ bitmap : \A c \in usable \ bitmap : b <= c

\* The charge a design makes when a page is written back: decrement the
\* limit (floored, the "> 0" guard) and count the page for WbLimit when its
\* limit check came after the latest store (checkEpoch = limEpoch).
ChargeLimit(checkEpoch) ==
    /\ bdLimit' = IF WbLimitEnable /\ bdLimit > 0 THEN bdLimit - 1 ELSE bdLimit
    /\ limPages' = IF checkEpoch = limEpoch THEN limPages + 1 ELSE limPages

-----------------------------------------------------------------------------
(***************************************************************************)
(* Ghost bookkeeping for the Reads invariant: while the read runs (from    *)
(* the step that locked the slot until it returns), remember every page   *)
(* the slot held.  Only environment steps change what a slot should hold  *)
(* (latest) or move the reader, so only they update rdSeen; every other    *)
(* step leaves it unchanged.  "Held" means written to the slot (latest),  *)
(* not what its possibly corrupt contents are: a read that returns a stale *)
(* page breaks Reads even where NoLostOrStaleData also breaks.             *)
(***************************************************************************)
ReadRunning == {"readHandleUnlocked", "readBio", "readRecheck", "readAccessed", "readZsUnlocked",
                "readSubmit"}
ReaderOn == "read" \in EnvProcs
\* The read runs: its process has not returned, or (AsyncRead) its child bio
\* is still in flight.
ReadOpen == envPc["read"] \in ReadRunning \/ rdChild = "inflight"

GhostNext ==
    rdSeen' = IF ReaderOn /\ ReadOpen'
              THEN rdSeen \cup {Page(envSlot'["read"], latest'[envSlot'["read"]])}
              ELSE rdSeen

(***************************************************************************)
(* zsmalloc handle lifetime (see the header).  Only the reader's held      *)
(* handle is tracked; these give its next owner after a step.              *)
(***************************************************************************)
\* The held object is freed: by a free of its owner (by = 0), or by the
\* writeback's completion, which frees a slot's object as it sets ZRAM_WB.
HeldFreed == rdZs # NoZs /\ (rdZs.by = 0 \/ TestFlag(rdZs.by, "ZRAM_WB"))
\* zram_free_page() of slot s (a free, a discard, an overwrite's old object).
ZsFreeSlot(s) == IF rdZs # NoZs /\ rdZs.by = s THEN [rdZs EXCEPT !.by = 0] ELSE rdZs
\* zram_write_page() of version v to slot s: zs_malloc() first, then
\* zram_free_page() of the old object.  Simplification: zs_malloc() always
\* hands out the freed held object when there is one (zsmalloc reuses a size
\* class's freed objects first, but may take another); the other choice
\* leaves the reader on a freed object, which NoFreedHandleUse reports in any
\* case.  The Java twin's ZsPool hands out the most recently freed handle,
\* the same object wherever only the held one was freed.
ZsWrite(s, v) == IF HeldFreed THEN [by |-> s, data |-> Page(s, v)] ELSE ZsFreeSlot(s)

(***************************************************************************)
(* Environment.  Each process runs one operation; its labels are the       *)
(* values of envPc.  Slot choice happens in the first step, which is       *)
(* always a lock acquisition (or trylock).                                 *)
(***************************************************************************)

\* The slot of p: any slot at its first step, the chosen one afterwards.
SlotChoices(p) == IF envSlot[p] = 0 THEN Slots ELSE {envSlot[p]}

Goto(p, l) == envPc' = [envPc EXCEPT ![p] = l]

\* zram_slot_free_notify(): swap frees a slot from atomic context, so it
\* only tries the lock; on failure it counts miss_free and gives up.
FreeNotify(p, others) ==
    /\ envPc[p] = "freeNotify"
    /\ \E s \in SlotChoices(p) :
         /\ envSlot' = [envSlot EXCEPT ![p] = s]
         /\ IF LockFree(s)        \* zram_slot_trylock() succeeded
            THEN /\ bitmap' = FreePageBitmap(tbl, bitmap, s)
                 /\ tbl' = FreePageTbl(tbl, s)
                 /\ latest' = [latest EXCEPT ![s] = 0]
                 /\ rdZs' = ZsFreeSlot(s)
            ELSE UNCHANGED <<bitmap, tbl, latest, rdZs>>   \* miss_free++
    /\ Goto(p, "envDone")
    /\ UNCHANGED <<others, limitVars, slotLock, disk, rdBlk, rdVal, limEpoch, limStored,
                   zsFreedUse, rdOwn>>
    /\ GhostNext

\* zram_bio_discard(): slot lock (sleeping), zram_free_page(), unlock.
Discard(p, others) ==
    /\ envPc[p] = "discard"
    /\ \E s \in SlotChoices(p) :
         /\ LockFree(s)
         /\ envSlot' = [envSlot EXCEPT ![p] = s]
         /\ bitmap' = FreePageBitmap(tbl, bitmap, s)
         /\ tbl' = FreePageTbl(tbl, s)
         /\ latest' = [latest EXCEPT ![s] = 0]
         /\ rdZs' = ZsFreeSlot(s)
    /\ Goto(p, "envDone")
    /\ UNCHANGED <<others, limitVars, slotLock, disk, rdBlk, rdVal, limEpoch, limStored,
                   zsFreedUse, rdOwn>>
    /\ GhostNext

\* The writers of the environment.  A write's version is the slot's next in
\* the order the writes install: 2 for the first write of a slot (the pages
\* present at the start are version 1), 3 for the second.  (Not latest[s] + 1:
\* after a free that is 1 again, and a stale copy of the old page would pass
\* for the new one.)  Read off the writers' own state, so it adds no state.
Writers == {"write", "write2"} \cap EnvProcs
WriteVersion(p, s) ==
    2 + Cardinality({q \in Writers \ {p} : envSlot[q] = s /\ envPc[q] # "writeInstall"})

\* zram_write_page(): compress outside the lock, then under the slot lock
\* zram_free_page() and install the new object (a new version).
WriteInstall(p, others) ==
    /\ envPc[p] = "writeInstall"
    /\ \E s \in SlotChoices(p) :
         LET v == WriteVersion(p, s) IN
         /\ LockFree(s)
         /\ envSlot' = [envSlot EXCEPT ![p] = s]
         /\ bitmap' = FreePageBitmap(tbl, bitmap, s)
         /\ tbl' = [FreePageTbl(tbl, s) EXCEPT ![s].ver = v]
         /\ latest' = [latest EXCEPT ![s] = v]
         /\ rdZs' = ZsWrite(s, v)
    /\ Goto(p, "writeAccessed")
    /\ UNCHANGED <<others, limitVars, slotLock, disk, rdBlk, rdVal, limEpoch, limStored,
                   zsFreedUse, rdOwn>>
    /\ GhostNext

\* zram_bio_write() / zram_bio_read() after the page: slot lock,
\* zram_accessed() (clears ZRAM_IDLE and ZRAM_PP_SLOT), unlock.
Accessed(p, label, others) ==
    LET s == envSlot[p] IN
    /\ envPc[p] = label
    /\ LockFree(s)
    /\ tbl' = [tbl EXCEPT ![s].flags = @ \ {"ZRAM_PP_SLOT"}]
    /\ Goto(p, "envDone")
    /\ UNCHANGED <<others, limitVars, slotLock, bitmap, disk, envSlot, rdBlk, rdVal, latest,
                   limEpoch, limStored, zsOwn, rdOwn>>
    /\ GhostNext

(***************************************************************************)
(* zram_read_page().  Three read paths, chosen by switches:                *)
(*  READ_BLKIDX_UNLOCKED: test ZRAM_WB under the lock, unlock, and only    *)
(*      then read the handle (v6.18 and older);                            *)
(*  NO_READ_RECHECK: read the handle under the lock (patch 6/6, upstream   *)
(*      today), unlock, read the block;                                    *)
(*  neither: as NO_READ_RECHECK, then re-take the slot lock and confirm    *)
(*      the slot is still ZRAM_WB on the same block, else read again (the  *)
(*      re-check Brian Geffon proposed on 6/6; our fixed read path).       *)
(***************************************************************************)
ReadRechecks == ~On("READ_BLKIDX_UNLOCKED") /\ ~On("NO_READ_RECHECK")
\* read_from_bdev(): the synchronous read (readBio) or read_from_bdev_async()
\* (readSubmit), by AsyncRead (see the header).
ReadFromBdev == IF AsyncRead = "off" THEN "readBio" ELSE "readSubmit"

ReadLock(p, others) ==
    /\ envPc[p] = "readLock"
    /\ \E s \in SlotChoices(p) :
         /\ LockFree(s)
         /\ envSlot' = [envSlot EXCEPT ![p] = s]
         /\ IF ~TestFlag(s, "ZRAM_WB") /\ On("ZS_READ_UNLOCKED") /\ tbl[s].ver # 0
            THEN \* handle = zram_get_handle() under the lock; unlock; map it later
                 /\ rdZs' = [by |-> s, data |-> Page(s, tbl[s].ver)]
                 /\ UNCHANGED <<rdVal, rdBlk>>
                 /\ Goto(p, "readZsUnlocked")
            ELSE IF ~TestFlag(s, "ZRAM_WB")
            THEN \* zram_read_from_zspool() under the lock
                 /\ rdVal' = Page(s, tbl[s].ver)
                 /\ rdBlk' = rdBlk
                 /\ UNCHANGED rdZs
                 /\ Goto(p, "readAccessed")
            ELSE IF On("READ_BLKIDX_UNLOCKED")
            THEN \* unlock first, read the handle later
                 /\ UNCHANGED <<rdVal, rdBlk, rdZs>>
                 /\ Goto(p, "readHandleUnlocked")
            ELSE \* blk_idx = zram_get_handle() under the lock (6/6)
                 /\ rdBlk' = tbl[s].handle
                 /\ rdVal' = rdVal
                 /\ UNCHANGED rdZs
                 /\ Goto(p, ReadFromBdev)
    /\ UNCHANGED <<others, tableVars, limitVars, latest, limEpoch, limStored, zsFreedUse, rdOwn>>
    /\ GhostNext

\* READ_BLKIDX_UNLOCKED: read_from_bdev(zram, page, zram_get_handle(zram, index))
\* after zram_slot_unlock(): the handle may have changed meanwhile.  A freed
\* slot's handle is 0 (block 0); a slot written again holds a zsmalloc handle,
\* which names no block of the device (tbl's handle abstracts it to 0, so it
\* is told apart here: ZsHandle).
ReadHandleUnlocked(p, others) ==
    LET s == envSlot[p] IN
    /\ envPc[p] = "readHandleUnlocked"
    /\ rdBlk' = IF TestFlag(s, "ZRAM_WB") \/ tbl[s].ver = 0 THEN tbl[s].handle ELSE ZsHandle
    /\ Goto(p, ReadFromBdev)
    /\ UNCHANGED <<others, tableVars, limitVars, envSlot, rdVal, latest, limEpoch, limStored,
                   zsOwn, rdOwn>>
    /\ GhostNext

\* ZS_READ_UNLOCKED: zram_read_from_zspool() on the handle taken under the
\* slot lock, after zram_slot_unlock().  The object may have been freed
\* meanwhile (a freed-handle use, NoFreedHandleUse: the freed memory still
\* holds the old page, which Reads alone would accept) or handed to another
\* slot's write (its page: Reads sees it).
ReadZsUnlocked(p, others) ==
    /\ envPc[p] = "readZsUnlocked"
    /\ zsFreedUse' = (zsFreedUse \/ HeldFreed)
    /\ rdVal' = rdZs.data
    /\ rdZs' = NoZs
    /\ Goto(p, "readAccessed")
    /\ UNCHANGED <<others, tableVars, limitVars, envSlot, rdBlk, latest, limEpoch, limStored, rdOwn>>
    /\ GhostNext

\* read_from_bdev(): the read bio reaches the block.  A sector beyond the
\* device (a zsmalloc handle taken for a block) fails the bio: the read
\* returns an error, with no data and no zram_accessed().
ReadBio(p, others) ==
    /\ envPc[p] = "readBio"
    /\ IF rdBlk \in DiskBlocks
       THEN /\ rdVal' = disk[rdBlk]
            /\ Goto(p, IF ReadRechecks THEN "readRecheck" ELSE "readAccessed")
       ELSE /\ rdVal' = Failed
            /\ Goto(p, "envDone")
    /\ UNCHANGED <<others, tableVars, limitVars, envSlot, rdBlk, latest, limEpoch, limStored,
                   zsOwn, rdOwn>>
    /\ GhostNext

\* AsyncRead: read_from_bdev_async() (v6.17 @27997aca; 7.0+ @052b6b2d).
\* rbReq: kmalloc() of the zram_rb_req, then bio_alloc(); either may fail,
\* and the read fails with -ENOMEM (zram_bio_read(): failed_reads, the
\* parent ends with BLK_STS_IOERR, no zram_accessed()).  chained:
\* bio_alloc(GFP_NOIO) takes from the bio_set's mempool and cannot fail.
\* Otherwise the child bio is chained to the parent (bio_chain();
\* rbReq: bio_inc_remaining(parent)) and submitted, and zram_read_page()
\* returns 0 at once: zram_bio_read() goes on to zram_accessed() with the
\* device read in flight.  READ_UNCHAINED leaves the chaining out: the parent
\* completes without waiting for the child (ParentDone).
ReadSubmit(p, others) ==
    /\ envPc[p] = "readSubmit"
    /\ \/ /\ AsyncRead = "rbReq"
          /\ rdVal' = Failed
          /\ Goto(p, "envDone")
          /\ UNCHANGED rdChild
       \/ /\ rdChild' = "inflight"
          /\ rdVal' = Junk
          /\ Goto(p, "readAccessed")
    /\ UNCHANGED <<others, tableVars, limitVars, envSlot, rdBlk, latest, limEpoch, limStored,
                   zsOwn>>
    /\ GhostNext

\* AsyncRead: the device ends the child bio: the block lands in the page (a
\* sector past the device fails the bio, and the error reaches the parent:
\* bio_chain_endio() / zram_async_read_endio() copy bi_status), and its
\* end_io calls bio_endio(parent), which completes the parent if
\* zram_bio_read() has already ended it.  A step of the device, not of the
\* reader: it may come before or after the reader's zram_accessed().
ReadEndio(others) ==
    /\ ReaderOn
    /\ rdChild = "inflight"
    /\ rdChild' = "ended"
    /\ rdVal' = IF rdBlk \in DiskBlocks THEN disk[rdBlk] ELSE Failed
    /\ UNCHANGED <<others, tableVars, limitVars, envPc, envSlot, rdBlk, latest, limEpoch, limStored,
                   zsOwn>>
    /\ GhostNext

\* The re-check (fixed read path): slot lock; still ZRAM_WB on rdBlk? keep
\* the page; otherwise unlock and read the slot again from the top.
ReadRecheck(p, others) ==
    LET s == envSlot[p] IN
    /\ envPc[p] = "readRecheck"
    /\ LockFree(s)
    /\ Goto(p, IF TestFlag(s, "ZRAM_WB") /\ tbl[s].handle = rdBlk
               THEN "readAccessed" ELSE "readLock")
    /\ UNCHANGED <<others, tableVars, limitVars, envSlot, rdBlk, rdVal, latest, limEpoch,
                   limStored, zsOwn, rdOwn>>
    /\ GhostNext

\* writeback_limit_store() (single, multipage: init_lock shared +
\* wb_limit_lock, so it may land in the middle of a writeback).
LimitStore(p, others) ==
    /\ envPc[p] = "limitStore"
    /\ \E v \in WbLimitStores :
         /\ bdLimit' = v
         /\ limStored' = v
         /\ limEpoch' = limEpoch + 1
         /\ limPages' = 0
    /\ Goto(p, "envDone")
    /\ UNCHANGED <<others, tableVars, envSlot, rdBlk, rdVal, latest, zsOwn, rdOwn>>
    /\ GhostNext

\* One step of environment process p; `others` are the design's own
\* variables, which no environment step changes.
EnvStep(p, others) ==
    \/ FreeNotify(p, others) \/ Discard(p, others) \/ WriteInstall(p, others)
    \/ Accessed(p, "writeAccessed", others) \/ Accessed(p, "readAccessed", others)
    \/ ReadLock(p, others) \/ ReadHandleUnlocked(p, others) \/ ReadBio(p, others)
    \/ ReadRecheck(p, others) \/ LimitStore(p, others) \/ ReadZsUnlocked(p, others)
    \/ ReadSubmit(p, others)

\* The device's step on the reader's child bio (AsyncRead), named as a process
\* of its own in lastStep.
ReadDevice == "bdev[read]"

EnvNext(others) ==
    \/ \E p \in EnvProcs : EnvStep(p, others) /\ Took(p, envPc[p])
    \/ ReadEndio(others) /\ Took(ReadDevice, "readEndio")


EnvDone == (\A p \in EnvProcs : envPc[p] = "envDone") /\ rdChild # "inflight"

-----------------------------------------------------------------------------
(***************************************************************************)
(* Invariants shared by every design (names used by the Java twin, the     *)
(* harnesses and the docs).                                                *)
(***************************************************************************)

\* No lost or stale data: every slot that nobody is modifying reads back as
\* the last version written to it (a freed slot as the zero page).
NoLostOrStaleData ==
    \A s \in Slots : LockFree(s) => Content(s) = Expected(s)

\* Block ownership.  Holders is a set of [who, blk] records, one per owner
\* (a ZRAM_WB slot, a request, the loop's carried block), given by the design.
SlotHolders == { [who |-> <<"slot", s>>, blk |-> tbl[s].handle] :
                     s \in {t \in Slots : TestFlag(t, "ZRAM_WB")} }
NoDoubleUse(H) == \A h1, h2 \in H : h1.who # h2.who => h1.blk # h2.blk
NoLeak(H) == \A b \in bitmap : \E h \in H : h.blk = b
HeldIsReserved(H) == \A h \in H : h.blk \in bitmap

\* Write-back limit: pages written back after the latest store never exceed it.
WbLimit == WbLimitEnable => limPages <= limStored

\* A read that failed with -EIO (batched, compressed writeback: the deferred
\* decompression found the slot no longer ZRAM_WB): no page is returned.
ReadEio == <<0, -3>>
\* AsyncRead: the parent bio has completed -- zram_bio_read() ended it and
\* its child has ended (READ_UNCHAINED: no child holds it back).
ParentDone == envPc["read"] = "envDone" /\ (rdChild # "inflight" \/ On("READ_UNCHAINED"))
ReadReturned ==
    /\ ReaderOn
    /\ IF AsyncRead = "off" THEN envPc["read"] \in {"readAccessed", "envDone"} ELSE ParentDone

\* Reads: a read returns a page this slot held while the read ran, or fails:
\* Failed (the device failed the bio, or AsyncRead rbReq's allocation
\* failed) or ReadEio (the driver's own -EIO).  With AsyncRead, rdVal is
\* the parent's page as the completion hands it over: Junk unless the
\* child's data landed first, and Junk is no page the slot held.
Reads == ReadReturned /\ rdVal # Failed => rdVal \in rdSeen \cup {ReadEio}

\* ReadsSucceed: no read fails of the driver's own doing.  The model's backing
\* device fails a read bio only for a sector past its end (Failed).
ReadsSucceed == ReadReturned => rdVal # ReadEio

\* NoFreedHandleUse: no zsmalloc handle is used after its object was freed
\* (the lifetime of a handle, as NoUseAfterFree is of an allocation).
NoFreedHandleUse == ~zsFreedUse
=============================================================================
