package dev.zwb;

import dev.zwb.manifest.Manifest;
import dev.zwb.manifest.ManifestException;
import dev.zwb.tlc.TlcRunner;

import java.nio.file.Path;
import java.time.Duration;

/** Where the repository is, for tests that read spec/ and run TLC. */
public final class Repo {

    private Repo() {
    }

    public static Path root() {
        return Path.of(System.getProperty("zwb.root", "..")).toAbsolutePath().normalize();
    }

    public static Path spec() {
        return root().resolve("spec");
    }

    public static Manifest manifest() throws ManifestException {
        return Manifest.load(spec());
    }

    /** A runner whose scratch files go under cli/target/. */
    public static TlcRunner runner(String area) {
        return runnerIn(Path.of("target", area).toAbsolutePath());
    }

    public static TlcRunner runnerIn(Path work) {
        return new TlcRunner(work, Duration.ofMinutes(10), "3g");
    }
}
