package dev.zwb.tlc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which JVM runs TLC. TLC 2.18 runs unchanged on JDK 25, and a JDK of 25 or
 * later can start it from an AOT cache (JEP 483/514), which cuts the fixed
 * cost of every run (JVM start, class loading, warm-up). So: the java of
 * {@code ZWB_TLC_JAVA} when set (a path to a java binary, or "default" for the
 * JVM that runs zwb); else the newest JDK of 25 or later under /usr/lib/jvm;
 * else the JVM that runs zwb (JDK 17 is the floor and the fallback).
 *
 * @param binary the java to start
 * @param major  its feature version (17, 25, ...)
 */
public record TlcJava(Path binary, int major) {

    public static final String ENV = "ZWB_TLC_JAVA";
    /** The first JDK whose AOT cache zwb uses (one-step training with -XX:AOTCacheOutput). */
    public static final int AOT_MAJOR = 25;
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)");

    public boolean aot() {
        return major >= AOT_MAJOR;
    }

    /** The JVM that runs zwb itself. */
    public static TlcJava current() {
        return new TlcJava(Path.of(System.getProperty("java.home"), "bin", "java"), Runtime.version().feature());
    }

    /** The choice described above; an unusable ZWB_TLC_JAVA is a one-line error. */
    public static TlcJava choose() {
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            if (env.equals("default")) {
                return current();
            }
            Path bin = Path.of(env);
            Optional<Integer> major = majorOf(bin);
            if (!Files.isExecutable(bin) || major.isEmpty()) {
                throw new MissingToolError(ENV + "=" + env + " is not a java binary of a JDK with a release file;"
                        + " set it to <jdk>/bin/java or to \"default\"");
            }
            if (major.get() < 17) {
                throw new MissingToolError(ENV + "=" + env + " is Java " + major.get() + "; TLC needs 17 or later");
            }
            return new TlcJava(bin, major.get());
        }
        return newestInstalled(Path.of("/usr/lib/jvm")).filter(TlcJava::aot).orElse(current());
    }

    /** The newest JDK under a directory of JDKs, by the release file of each. */
    static Optional<TlcJava> newestInstalled(Path jvms) {
        if (!Files.isDirectory(jvms)) {
            return Optional.empty();
        }
        List<TlcJava> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(jvms)) {
            for (Path d : dirs.sorted().toList()) {
                Path bin = d.resolve("bin").resolve("java");
                majorOf(bin).filter(m -> Files.isExecutable(bin)).ifPresent(m -> found.add(new TlcJava(bin, m)));
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return found.stream().max(Comparator.comparingInt(TlcJava::major));
    }

    /** The feature version from {@code <jdk>/release}, next to bin/java. */
    static Optional<Integer> majorOf(Path javaBinary) {
        Path release = javaBinary.toAbsolutePath().getParent() == null ? null
                : javaBinary.toAbsolutePath().getParent().resolveSibling("release");
        if (release == null || !Files.isRegularFile(release)) {
            return Optional.empty();
        }
        try {
            Matcher m = VERSION.matcher(Files.readString(release));
            String v = m.find() ? m.group(1) : null;
            return v == null ? Optional.empty() : Optional.of(Integer.parseInt(v.equals("1") ? "8" : v));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
