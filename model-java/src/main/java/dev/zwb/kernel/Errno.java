package dev.zwb.kernel;

/** The errno values the model returns, negated as the kernel returns them. */
public final class Errno {
    public static final int EIO = 5;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ERANGE = 34;

    private Errno() {
    }
}
