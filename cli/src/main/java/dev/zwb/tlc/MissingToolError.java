package dev.zwb.tlc;

/** Something zwb needs from its environment is missing (the TLC jar); exit code 4. */
public final class MissingToolError extends RuntimeException {
    public MissingToolError(String message) {
        super(message);
    }
}
