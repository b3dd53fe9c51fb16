package dev.zwb.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a Lincheck failure report down to the lines a reader of docs/defects/ follows. It reads
 * the report's "Detailed trace" table (every event, with the thread that ran it) and keeps, one
 * line per event as {@code thread event}: the spec labels ({@code at("…")}, once per step), the
 * thread switches, and the calls that change what the invariants are about (slot locks, flags
 * set, handles, completions, waits and wake-ups, in-flight counts, frees and submissions;
 * not the flag clears of a page free, nor the list heads under a list_del), without
 * Lincheck's {@code at File.java:line} suffix; for the main thread only its switches and the
 * final assertion.
 */
final class LincheckTraceDigest {

    private static final Pattern LABEL = Pattern.compile("^(?:[\\w.]+\\.)?at\\(\"(\\w+)\"\\)");
    private static final Pattern KEEP = Pattern.compile("^switch|kfree\\(\\)|leaveFrame\\(\\)|done\\.complete\\(\\)"
            + "|doneWait\\.wakeUp\\(\\)|waitForCompletionIo\\(\\)|waitEvent\\(|zramSetFlag|zramClearFlag"
            + "|zramSetHandle|zramFreePage|atomicDecReturn|atomicInc\\(|numInflight\\.atomicRead|submitBio"
            + "|chargeWbLimit|releasePpSlot|zramSlotLock|zramSlotUnlock|writebackStore|zramBio(Read|Write|Discard)"
            + "|completeNextInline|Bitops\\.(set|clear)Bit\\(|listAdd|listDel|freeBlockBdev|zramReleaseBdevBlock"
            + "|allocBlockBdev|zramReserveBdevBlock|AssertionError");
    /** The twin's own bookkeeping that matches KEEP but says nothing about the race. */
    private static final Pattern DROP = Pattern.compile("LAST_LABEL|hungTaskTimeout|^ListHead\\."
            + "|zramClearFlag|^zram\\.table\\.zramSlot(Un)?[lL]ock|zramSetHandle\\(\\d+, 0\\)");
    /** Lincheck's source position after an event. */
    private static final Pattern WHERE = Pattern.compile(" at [\\w.$]+\\([\\w.]+:\\d+\\)$");

    private LincheckTraceDigest() {
    }

    static String digest(String report) {
        String[] lines = report.split("\n");
        int from = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("Detailed trace:")) {
                from = i + 1;
                break;
            }
        }
        if (from < 0) {
            return "";
        }
        List<String> names = new ArrayList<>();
        List<String> out = new ArrayList<>();
        int ruler = 0;
        for (int i = from; i < lines.length; i++) {
            String line = lines[i];
            if (!line.startsWith("|")) {
                break;
            }
            if (line.startsWith("| ---")) {
                if (++ruler == 3) {
                    break; // the table's closing ruler
                }
                continue;
            }
            String[] cells = line.split("\\|", -1);
            if (names.isEmpty()) {
                for (int c = 1; c < cells.length - 1; c++) {
                    names.add(cells[c].trim());
                }
                continue;
            }
            for (int c = 1; c < cells.length - 1 && c <= names.size(); c++) {
                String event = WHERE.matcher(cells[c].trim()).replaceFirst("");
                String thread = names.get(c - 1);
                String kept = keep(thread, event);
                if (kept == null) {
                    continue;
                }
                String row = String.format("%-12s %s", thread, kept);
                if (out.isEmpty() || !out.get(out.size() - 1).equals(row)) {
                    out.add(row);
                }
            }
        }
        return String.join("\n", out) + "\n";
    }

    /** The line to show for {@code event}, or null. */
    private static String keep(String thread, String event) {
        if (event.isEmpty()) {
            return null;
        }
        if (thread.equals("Main Thread")) {
            return event.startsWith("switch") || event.contains("AssertionError") ? event : null;
        }
        Matcher label = LABEL.matcher(event);
        if (label.find()) {
            return "at(\"" + label.group(1) + "\")";
        }
        return KEEP.matcher(event).find() && !DROP.matcher(event).find() ? event : null;
    }
}
