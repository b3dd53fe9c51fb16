package dev.zwb;

import java.nio.file.Path;

/** Where the repository is, for tests that read spec/ and docs/ beside this module. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("zwb.root", "..")).toAbsolutePath().normalize();
    }
}
