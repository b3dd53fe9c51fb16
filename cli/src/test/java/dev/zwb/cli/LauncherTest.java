package dev.zwb.cli;

import dev.zwb.Repo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ./zwb launcher, run by bash on a throwaway copy of the repository whose
 * CLI jar is a stand-in that prints the root it was given and its arguments:
 * it works through a symlink, passes the user's arguments unshifted, and a
 * build it cannot do is one line and exit 4.
 */
class LauncherTest {

    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    private static Run bash(Path script, List<String> args, String path) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("/bin/bash", script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (path != null) {
            pb.environment().put("PATH", path);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return new Run(p.exitValue(), out, err);
    }

    /** A copy of the launcher beside sources older than a stand-in jar. */
    private Path fakeRepo() throws IOException {
        Path repo = tmp.resolve("repo");
        Files.createDirectories(repo.resolve("cli/src/main"));
        Files.createDirectories(repo.resolve("cli/target"));
        Files.copy(Repo.root().resolve("zwb"), repo.resolve("zwb"));
        Files.writeString(repo.resolve("pom.xml"), "<project/>");
        Files.writeString(repo.resolve("cli/pom.xml"), "<project/>");
        FileTime old = FileTime.fromMillis(System.currentTimeMillis() - 3_600_000);
        for (Path p : List.of(repo.resolve("pom.xml"), repo.resolve("cli/pom.xml"), repo.resolve("cli/src/main"))) {
            Files.setLastModifiedTime(p, old);
        }
        return repo;
    }

    private void standInJar(Path repo) throws IOException {
        Path src = tmp.resolve("src/Main.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "public class Main { public static void main(String[] a) {"
                + " System.out.println(System.getProperty(\"zwb.root\") + \" \" + String.join(\",\", a)); } }");
        Path classes = tmp.resolve("classes");
        Files.createDirectories(classes);
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(),
                src.toString()));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Main");
        try (OutputStream o = Files.newOutputStream(repo.resolve("cli/target/zwb-cli.jar"));
             JarOutputStream jar = new JarOutputStream(o, mf)) {
            jar.putNextEntry(new JarEntry("Main.class"));
            jar.write(Files.readAllBytes(classes.resolve("Main.class")));
            jar.closeEntry();
        }
    }

    @Test
    void worksThroughASymlinkWithTheUsersArguments() throws Exception {
        Path repo = fakeRepo();
        standInJar(repo);
        Path link = tmp.resolve("bin/zwb");
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, repo.resolve("zwb"));
        Run r = bash(link, List.of("lst", "--x"), null);
        assertEquals(0, r.code(), r.err());
        assertEquals(repo.toRealPath() + " lst,--x", r.out().trim(), "the root is the repository, not the link's");
    }

    @Test
    void aBuildWithoutMavenIsOneLineAndExitFour() throws Exception {
        Path repo = fakeRepo();
        Path bin = tmp.resolve("nomaven");
        Files.createDirectories(bin);
        for (String tool : List.of("bash", "readlink", "dirname", "find", "mkdir", "java")) {
            Path real = Path.of("/usr/bin", tool);
            if (Files.exists(real)) {
                Files.createSymbolicLink(bin.resolve(tool), real);
            }
        }
        Run r = bash(repo.resolve("zwb"), List.of("check"), bin.toString());
        assertEquals(4, r.code(), r.err());
        assertEquals("zwb: Maven (mvn) is not on PATH; install Maven 3.8+ to build the CLI", r.err().trim());
        assertTrue(r.out().isEmpty(), r.out());
    }
}
