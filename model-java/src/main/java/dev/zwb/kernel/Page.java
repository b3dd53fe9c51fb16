package dev.zwb.kernel;

/**
 * struct page: one page of data, holding a {@link Content} instead of bytes. alloc_page() gives
 * {@link Content#JUNK}. Reads and writes of the data are volatile: the model's pages cross threads
 * (a bio fills a page on a device thread) with the happens-before that the bio completion gives
 * anyway; volatile only keeps a racy read well defined.
 */
public final class Page {

    private volatile Content data = Content.JUNK;

    public Content data() {
        return data;
    }

    public void setData(Content data) {
        this.data = data;
    }
}
