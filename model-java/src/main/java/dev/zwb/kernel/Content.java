package dev.zwb.kernel;

/**
 * What a page holds, abstracted as a version number: the model never stores bytes. A page written
 * to zram slot {@code slot} for the {@code version}-th time holds {@code (slot, version)}.
 * Two constants stand for what is not a written page: {@link #ZERO}, what a freed (or never
 * written) slot reads as (zram fills the page with zeroes), and {@link #JUNK}, whatever a
 * backing-device block holds before anything was written to it, or a page before it is filled.
 */
public record Content(int slot, long version) {

    /** The zero page: what a slot with no data reads as. */
    public static final Content ZERO = new Content(-1, 0);

    /** Never written: a fresh backing-device block, or a freshly allocated page. */
    public static final Content JUNK = new Content(-2, 0);
    /**
     * What a decompressor makes of bytes that the size and priority it was given do not describe
     * (another slot's object, another version's, or a size of 0): compressed writeback only.
     */
    public static final Content GARBAGE = new Content(-3, 0);

    /** Whether this is data that some write put there (not ZERO, not JUNK). */
    public boolean written() {
        return slot >= 0;
    }

    @Override
    public String toString() {
        if (this.equals(ZERO)) {
            return "zero-page";
        }
        if (this.equals(JUNK)) {
            return "junk";
        }
        if (this.equals(GARBAGE)) {
            return "garbage";
        }
        return "slot" + slot + "@v" + version;
    }
}
