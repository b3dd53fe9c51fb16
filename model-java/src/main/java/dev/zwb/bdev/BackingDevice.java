package dev.zwb.bdev;

import dev.zwb.kernel.Content;
import dev.zwb.kernel.Errno;
import dev.zwb.kernel.Oops;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backing device: {@code nrPages} blocks of one page each, holding {@link Content}s (a block
 * never written holds {@link Content#JUNK}). A bio completes asynchronously: the device does the
 * transfer, sets the status, then calls bi_end_io on a thread of its own (the "IRQ").
 *
 * <p>Two modes.
 * <ul>
 * <li><b>Held</b> ({@link #held}): every bio waits in a FIFO until a test releases it with
 *     {@link #completeNext()} (optionally with an error). Each completion runs on a fresh thread
 *     named {@code irq-N}, so its end_io can itself be parked at a spec label; the returned
 *     {@link Irq} joins it. {@link #awaitPending} waits, without sleeping blindly, until the
 *     submitters have queued enough bios. {@link #autoComplete()} lets the rest flow.</li>
 * <li><b>Async</b> ({@link #async}): device threads complete bios after a latency drawn from a
 *     range, with at most {@code queueDepth} bios accepted at once (submit_bio() sleeps for a
 *     tag), and fail a fraction of them with -EIO (seeded, so repeatable per seed).</li>
 * </ul>
 * A bio for a block beyond the end of the device fails with -EIO.
 *
 * <p>Implementation notes. {@code blocks}, {@code pending}, {@code autoComplete},
 * {@code submitted} and {@code completed} are guarded by {@code this}. An end_io that throws is a
 * model bug: the throwable is kept in {@link #endioFailures()} rather than lost in a device thread.
 */
public final class BackingDevice implements AutoCloseable {

    /** Configuration of the async mode. */
    public record AsyncConfig(int queueDepth, Duration minLatency, Duration maxLatency,
                              double errorRate, long seed, int threads) {
        /** No latency, no errors, deep queue, two device threads. */
        public static AsyncConfig fast(long seed) {
            return new AsyncConfig(64, Duration.ZERO, Duration.ZERO, 0.0, seed, 2);
        }
    }

    /** A completion running on its IRQ thread. */
    public static final class Irq {
        private final Thread thread;
        private final Bio bio;

        Irq(Thread thread, Bio bio) {
            this.thread = thread;
            this.bio = bio;
        }

        public Bio bio() {
            return bio;
        }

        /** Waits (up to 10 s) for the end_io to return; fails if it does not. */
        public void join() {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new IllegalStateException("end_io of " + bio + " did not return");
            }
        }

        public boolean finished() {
            return !thread.isAlive();
        }

        /** The IRQ thread (a replay steps it like a process). */
        public Thread thread() {
            return thread;
        }
    }

    private final int nrPages;
    private final Content[] blocks;
    private final ArrayDeque<Bio> pending = new ArrayDeque<>();
    private final List<Throwable> endioFailures = new CopyOnWriteArrayList<>();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger irqSeq = new AtomicInteger();
    private final AsyncConfig async;
    private final BlockingQueue<Bio> queue;
    private final Semaphore tags;
    private final Random random;
    private boolean autoComplete;
    private long submitted;
    private long completed;
    private volatile boolean closed;

    private BackingDevice(int nrPages, AsyncConfig async) {
        this.nrPages = nrPages;
        this.blocks = new Content[nrPages];
        Arrays.fill(blocks, Content.JUNK);
        this.async = async;
        this.queue = async == null ? null : new LinkedBlockingQueue<>();
        this.tags = async == null ? null : new Semaphore(async.queueDepth());
        this.random = async == null ? null : new Random(async.seed());
        if (async != null) {
            for (int i = 0; i < async.threads(); i++) {
                Thread t = new Thread(this::deviceThread, "bdev-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }
    }

    /** A device whose bios wait until a test completes them. */
    public static BackingDevice held(int nrPages) {
        return new BackingDevice(nrPages, null);
    }

    /** A device that completes bios on its own threads. */
    public static BackingDevice async(int nrPages, AsyncConfig config) {
        return new BackingDevice(nrPages, config);
    }

    /** The number of blocks (zram-&gt;nr_pages). */
    public int nrPages() {
        return nrPages;
    }

    /** Accepts a bio from submit_bio() (after the plug). */
    void submit(Bio bio) {
        if (async != null) {
            try {
                tags.acquire();
                synchronized (this) {
                    submitted++;
                }
                queue.put(bio);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Oops("killed while waiting for a device tag");
            }
            return;
        }
        boolean now;
        synchronized (this) {
            submitted++;
            now = autoComplete;
            if (!now) {
                pending.addLast(bio);
                notifyAll();
            }
        }
        if (now) {
            irq(bio, 0);
        }
    }

    // ---- held mode -------------------------------------------------------------------------

    /** Completes the oldest held bio successfully, on a new IRQ thread. */
    public Irq completeNext() {
        return completeNext(0);
    }

    /** Completes the oldest held bio with {@code status} (0 or a negative errno). */
    public Irq completeNext(int status) {
        Bio bio;
        synchronized (this) {
            bio = pending.pollFirst();
        }
        if (bio == null) {
            throw new IllegalStateException("no bio is waiting in the device");
        }
        return irq(bio, status);
    }

    /**
     * Completes the held bio {@code bio} (not necessarily the oldest) with {@code status}, on a new
     * IRQ thread: a replay completes the bio its trace names.
     */
    public Irq complete(Bio bio, int status) {
        synchronized (this) {
            if (!pending.removeIf(b -> b == bio)) {
                throw new IllegalStateException("the device does not hold " + bio);
            }
        }
        return irq(bio, status);
    }

    /**
     * Completes the oldest held bio with {@code status} on the calling thread: the transfer,
     * bi_status, then bi_end_io, as {@link #completeNext(int)} does on an IRQ thread. For
     * harnesses that schedule the completion themselves (a Lincheck thread, a JCStress actor).
     *
     * @return false, doing nothing, when the device holds no bio
     */
    public boolean completeNextInline(int status) {
        Bio bio;
        synchronized (this) {
            bio = pending.pollFirst();
        }
        if (bio == null) {
            return false;
        }
        transferAndEndIo(bio, status);
        return true;
    }

    /** Completes every held bio, one at a time, each after the previous end_io returned. */
    public void completeAll() {
        while (pendingCount() > 0) {
            completeNext().join();
        }
    }

    /** From now on every bio completes at once on its own IRQ thread; the held ones too. */
    public void autoComplete() {
        List<Bio> now;
        synchronized (this) {
            autoComplete = true;
            now = new ArrayList<>(pending);
            pending.clear();
        }
        now.forEach(b -> irq(b, 0));
    }

    /** Waits (up to 10 s) until at least {@code n} bios are held. */
    public synchronized void awaitPending(int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IllegalStateException("timed out waiting for " + n
                        + " bios; the device holds " + pending.size());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
        }
    }

    /** How many bios are held. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** The held bios, oldest first. */
    public synchronized List<Bio> pendingBios() {
        return List.copyOf(pending);
    }

    // ---- inspection ------------------------------------------------------------------------

    /** What block {@code blk} holds now ({@link Content#JUNK} outside the device). */
    public synchronized Content peek(long blk) {
        return blk >= 0 && blk < nrPages ? blocks[(int) blk] : Content.JUNK;
    }

    /** Bios accepted and not yet transferred (held, queued, or in the device's latency). */
    public synchronized long inFlight() {
        return submitted - completed;
    }

    /** Throwables that escaped an end_io (model bugs). */
    public List<Throwable> endioFailures() {
        return List.copyOf(endioFailures);
    }

    @Override
    public void close() {
        closed = true;
        threads.forEach(Thread::interrupt);
    }

    // ---- the device itself ------------------------------------------------------------------

    private Irq irq(Bio bio, int status) {
        Thread t = new Thread(() -> transferAndEndIo(bio, status), "irq-" + irqSeq.incrementAndGet());
        t.setDaemon(true);
        Irq irq = new Irq(t, bio);
        t.start();
        return irq;
    }

    private void deviceThread() {
        try {
            while (!closed) {
                Bio bio = queue.take();
                long min = async.minLatency().toNanos();
                long max = async.maxLatency().toNanos();
                int status;
                long latency;
                synchronized (random) {
                    latency = max > min ? min + (long) (random.nextDouble() * (max - min)) : min;
                    status = random.nextDouble() < async.errorRate() ? -Errno.EIO : 0;
                }
                if (latency > 0) {
                    TimeUnit.NANOSECONDS.sleep(latency); // simulated device time, not synchronisation
                }
                tags.release();
                transferAndEndIo(bio, status);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The bio's device step label (if any), the transfer, then bi_status, then bi_end_io. */
    private void transferAndEndIo(Bio bio, int status) {
        bio.deviceStep();
        int err = status;
        long blk = bio.block();
        synchronized (this) {
            if (err == 0 && (blk < 0 || blk >= nrPages)) {
                err = -Errno.EIO;
            }
            if (err == 0 && bio.op() == Bio.Op.WRITE) {
                blocks[(int) blk] = bio.page().data();
            }
            if (err == 0 && bio.op() == Bio.Op.READ) {
                bio.page().setData(blocks[(int) blk]);
            }
            completed++;
        }
        bio.setStatus(err);
        bio.setInFlight(false);
        try {
            bio.endIo();
        } catch (Throwable t) {
            endioFailures.add(t);
        }
    }
}
