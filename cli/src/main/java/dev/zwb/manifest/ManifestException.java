package dev.zwb.manifest;

/** A manifest or config that zwb cannot use; the message is one line for the user. */
public final class ManifestException extends Exception {
    public ManifestException(String message) {
        super(message);
    }
}
