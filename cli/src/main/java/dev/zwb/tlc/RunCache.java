package dev.zwb.tlc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * TLC's output kept by content: the key hashes every module of the spec
 * directory, the config text TLC was given, the search mode and the TLC jar.
 * zwb trace (and replay) reuse a kept run when nothing it depends on changed,
 * and run TLC again otherwise. Entries are written to a private directory and
 * moved into place, so two runs that finish together both leave a whole entry.
 */
public final class RunCache {

    private final Path dir;

    public RunCache(Path dir) {
        this.dir = dir;
    }

    /** The key of a run: spec modules, effective config, mode and TLC jar. */
    public static String key(Path specDir, String configText, String mode) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
        try (Stream<Path> modules = Files.list(specDir)) {
            for (Path m : modules.filter(p -> p.toString().endsWith(".tla")).sorted().toList()) {
                md.update(m.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                md.update(Files.readAllBytes(m));
            }
        }
        md.update(configText.getBytes(StandardCharsets.UTF_8));
        md.update(mode.getBytes(StandardCharsets.UTF_8));
        md.update(TlcRunner.tlaToolsJar().getFileName().toString().getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /** The kept result for this key, or null. */
    public TlcResult find(String key) throws IOException {
        Path entry = dir.resolve(key);
        Path out = entry.resolve("tlc.out");
        Path meta = entry.resolve("run.properties");
        if (!Files.isRegularFile(out) || !Files.isRegularFile(meta)) {
            return null;
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(meta)) {
            p.load(in);
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        return ToolOutputParser.parse(lines, Integer.parseInt(p.getProperty("exitCode")),
                Long.parseLong(p.getProperty("wallMillis")), out);
    }

    /** Keeps a finished run's output under its key (timeouts are not kept). */
    public void keep(String key, Path output, int exitCode, long wallMillis) throws IOException {
        Files.createDirectories(dir);
        Path tmp = Files.createTempDirectory(dir, ".new-");
        Files.copy(output, tmp.resolve("tlc.out"));
        Properties p = new Properties();
        p.setProperty("exitCode", String.valueOf(exitCode));
        p.setProperty("wallMillis", String.valueOf(wallMillis));
        try (var w = Files.newBufferedWriter(tmp.resolve("run.properties"))) {
            p.store(w, "zwb run");
        }
        Path entry = dir.resolve(key);
        TlcRunner.deleteTree(entry);
        try {
            Files.move(tmp, entry, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException | java.nio.file.FileAlreadyExistsException
                 | java.nio.file.DirectoryNotEmptyException e) {
            TlcRunner.deleteTree(tmp); // another run kept the same result first
        }
    }
}
