package dev.zwb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The repository stands on its own: no file points at the private reference directory the
 * project was started from (its seeds and notes), so every citation is one a reader can follow
 * (docs/sources.md names the public patch mails, commits and kernel copies). Scans every file of
 * the working tree except build output.
 */
class RepositoryHygieneTest {

    /** Directories that hold build output or local state, never sources. */
    private static final Set<String> SKIPPED_DIRS =
            Set.of(".git", "target", "node_modules", "states", "results", ".idea");

    /**
     * What a private citation looks like. Built from pieces so that this file does not match
     * itself: a relative path into the sibling directory, its two sub-directories, and the notes
     * that were kept there.
     */
    private static final Pattern PRIVATE_CITATION = Pattern.compile(String.join("|",
            Pattern.quote("../" + "shared"),
            Pattern.quote("shared" + "/seeds"),
            Pattern.quote("shared" + "/reference"),
            "(?<![\\w/.-])(?:defects|upstream)" + Pattern.quote(".md")));

    /** The offending matches of one text, as "line N: match". */
    static List<String> privateCitations(String text) {
        List<String> found = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = PRIVATE_CITATION.matcher(lines[i]);
            while (m.find()) {
                found.add("line " + (i + 1) + ": " + m.group());
            }
        }
        return found;
    }

    @Test
    void theMatcherSeesEachKindOfPrivateCitation() {
        String text = String.join("\n",
                "see ../" + "shared" + "/notes.txt",
                "the seed shared" + "/seeds/000.txt",
                "in shared" + "/reference, its notes",
                "upstream" + ".md section B",
                "(defects" + ".md)",
                "docs/defects/README.md and docs/sources.md are ours");
        assertEquals(List.of(
                        "line 1: ../" + "shared",
                        "line 2: shared" + "/seeds",
                        "line 3: shared" + "/reference",
                        "line 4: upstream" + ".md",
                        "line 5: defects" + ".md"),
                privateCitations(text));
    }

    @Test
    void noFileCitesThePrivateReferenceDirectory() throws IOException {
        Path root = Repo.root();
        List<String> offenders = new ArrayList<>();
        int scanned = 0;
        for (Path file : files(root)) {
            String text = readText(file);
            if (text == null) {
                continue;
            }
            scanned++;
            for (String hit : privateCitations(text)) {
                offenders.add(root.relativize(file) + " " + hit);
            }
        }
        assertTrue(scanned > 50, "scanned only " + scanned + " files under " + root);
        assertEquals(List.of(), offenders,
                "cite upstream by Message-ID, commit or repository + commit (docs/sources.md)");
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> !inSkippedDir(root.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private static boolean inSkippedDir(Path relative) {
        for (int i = 0; i < relative.getNameCount() - 1; i++) {
            if (SKIPPED_DIRS.contains(relative.getName(i).toString())) {
                return true;
            }
        }
        return false;
    }

    /** The file as UTF-8 text, or null for a binary file. */
    private static String readText(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
