package dev.zwb.bdev;

import dev.zwb.kernel.KObject;
import dev.zwb.kernel.Kernel;
import dev.zwb.kernel.Page;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * struct bio, cut down to what zram writeback uses: one page (bi_io_vec of one entry), one
 * backing-device block, an operation, a status, an end_io callback and its private pointer.
 * The model's simplification: every bio moves exactly one page to or from one block, as zram's
 * writeback and read-from-bdev bios do.
 *
 * <p>Implementation notes. A bio is embedded in its owner's memory (an on-stack bio in a stack
 * frame, {@code req->bio} in a request): bio_init() touches the owner. The fields are volatile:
 * they are written by the submitter and read by the device thread, and the COMPLETION_REINIT
 * defect has the task read {@code bi_status} of a bio still in flight, a data race in C that
 * volatile keeps well defined here. {@code bi_status} holds an errno (0 or -EIO) rather than a
 * blk_status_t, so blk_status_to_errno() is the identity.
 */
public final class Bio {

    /** REQ_OP_READ / REQ_OP_WRITE. */
    public enum Op { READ, WRITE }

    private final KObject owner;
    private volatile Op op = Op.READ;
    private volatile long blkIdx;
    private volatile Page page;
    private volatile int status;
    private volatile Consumer<Bio> endIo;
    private volatile Object privateData;
    /** The spec label of the device's step that ends this bio, and the kernel to pass it in. */
    private volatile Kernel stepKernel;
    private volatile String deviceLabel;
    /** Ghost: submitted and not yet ended by the device. */
    private volatile boolean inFlight;
    /** __bi_remaining: the ends bio_endio() still waits for (1, plus one per chained child). */
    private final AtomicInteger remaining = new AtomicInteger(1);

    /** A bio embedded in {@code owner}. */
    public Bio(KObject owner) {
        this.owner = owner;
    }

    /** bio_init(): a fresh bio for {@code op}; status 0, no page, no callback. */
    public void bioInit(Op op) {
        owner.touch("bio_init");
        this.op = op;
        this.status = 0;
        this.page = null;
        this.endIo = null;
        this.privateData = null;
        this.deviceLabel = null;
    }

    /**
     * The spec label of the step in which the device ends this bio (the transfer, then
     * bi_end_io): the device's IRQ thread passes it before the transfer. A model artefact, not a
     * field of struct bio.
     */
    public void setDeviceStep(Kernel kernel, String label) {
        this.stepKernel = kernel;
        this.deviceLabel = label;
    }

    /** Ghost: whether the bio has been submitted and the device has not ended it yet. */
    public boolean inFlight() {
        return inFlight;
    }

    void setInFlight(boolean inFlight) {
        this.inFlight = inFlight;
    }

    void deviceStep() {
        String label = deviceLabel;
        if (label != null) {
            stepKernel.at(label);
        }
    }

    /** bi_iter.bi_sector = blk_idx * (PAGE_SIZE &gt;&gt; 9): the block this bio reads or writes. */
    public void setBlock(long blkIdx) {
        this.blkIdx = blkIdx;
    }

    /** __bio_add_page() of a whole page. */
    public void bioAddPage(Page page) {
        this.page = page;
    }

    /** bi_end_io. */
    public void setEndIo(Consumer<Bio> endIo) {
        this.endIo = endIo;
    }

    /** bi_private. */
    public void setPrivate(Object privateData) {
        this.privateData = privateData;
    }

    public Object privateData() {
        return privateData;
    }

    public Op op() {
        return op;
    }

    public long block() {
        return blkIdx;
    }

    public Page page() {
        return page;
    }

    /** blk_status_to_errno(bio-&gt;bi_status): 0 or a negative errno. */
    public int status() {
        return status;
    }

    /** The memory this bio is embedded in. */
    public KObject owner() {
        return owner;
    }

    void setStatus(int status) {
        this.status = status;
    }

    /** Sets bi_status from a completion path (bio_chain_endio(), zram_async_read_endio()). */
    public void setBiStatus(int status) {
        this.status = status;
    }

    /** bio_inc_remaining(): one more bio_endio() is needed before this bio completes. */
    public void bioIncRemaining() {
        remaining.incrementAndGet();
    }

    /**
     * bio_endio() of a bio no device ends (a parent: zram's incoming bio): drops one of its
     * remaining ends, and on the last one calls bi_end_io. An end past the last (a child that was
     * never counted) does nothing here; in C it would be a double completion.
     */
    public void bioEndio() {
        if (remaining.decrementAndGet() == 0) {
            endIo();
        }
    }

    /**
     * bio_chain(): this bio ends into {@code parent}: bi_end_io becomes bio_chain_endio() (the
     * first error reaches the parent, then bio_endio(parent)) and the parent waits for one more
     * end. {@code then} runs first, in this bio's completion (the model's ghost bookkeeping).
     */
    public void bioChain(Bio parent, Consumer<Bio> then) {
        parent.bioIncRemaining();
        setPrivate(parent);
        setEndIo(b -> {
            then.accept(b);
            if (b.status() != 0 && parent.status() == 0) {
                parent.setBiStatus(b.status());
            }
            parent.bioEndio();
        });
    }

    void endIo() {
        Consumer<Bio> callback = endIo;
        if (callback != null) {
            callback.accept(this);
        }
    }

    @Override
    public String toString() {
        return op + " block " + blkIdx + " (" + owner.name() + ")";
    }
}
