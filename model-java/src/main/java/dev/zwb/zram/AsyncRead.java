package dev.zwb.zram;

/**
 * How read_from_bdev() reads a ZRAM_WB slot for zram_bio_read(), which passes its bio as the
 * parent (the spec's constant AsyncRead, ZramCommon).
 */
public enum AsyncRead {
    /**
     * The device read is one step of the reader, as read_from_bdev_sync() waits for it: the
     * spec's readBio. Every model before issue 15.
     */
    OFF("off"),
    /**
     * read_from_bdev_async() of v6.17 and v6.19 (gregkh/linux@27997aca): bio_alloc(GFP_NOIO),
     * which the bio_set's mempool keeps from failing, bio_chain() to the parent, submit_bio().
     */
    CHAINED("chained"),
    /**
     * read_from_bdev_async() of 7.0+ (raspberrypi/linux@052b6b2d): a zram_rb_req and a bio,
     * either allocation may fail (-ENOMEM); bio_inc_remaining(parent), and
     * zram_async_read_endio() copies bi_status to the parent and ends it.
     */
    RB_REQ("rbReq");

    private final String spec;

    AsyncRead(String spec) {
        this.spec = spec;
    }

    /** The mode the spec's AsyncRead names {@code value} ("off", "chained" or "rbReq"). */
    public static AsyncRead ofSpec(String value) {
        for (AsyncRead a : values()) {
            if (a.spec.equals(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException("AsyncRead = \"" + value + "\"; accepted: \"off\", \"chained\", \"rbReq\"");
    }
}
