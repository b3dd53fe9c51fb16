package dev.zwb.stress;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts a Lincheck failure report down to the lines a reader of docs/stress.md follows: the
 * first interleaving table (not the "Detailed trace"), one line per event as {@code thread
 * event}, keeping the spec labels ({@code at("…")}), the switches, and the calls that change
 * shared state or lifetime (locks, bit and flag operations, completions and waits, frees and
 * touches of memory); for the main thread only its switches and the final assertion.
 */
final class LincheckTraceDigest {

    private static final Pattern KEEP = Pattern.compile(
            "at\\(\"|switch|touch\\(|Bitops\\.|kfree|leaveFrame|[cC]omplete|[wW]ait|wakeUp|Lock\\(|Unlock\\("
                    + "|SetFlag|ClearFlag|SetHandle|FreePage|atomic|writebackStore|zramBio|hung|AssertionError");
    /** Bookkeeping of the harness and the model that matches KEEP but says nothing. */
    private static final Pattern DROP = Pattern.compile("^loop\\(|^<iteration|^completed |^waited |^submitted "
            + "|hungTaskTimeout|kernel\\.sleeps|enableWait|owner\\.name|wake\\.await|Sched\\.sleepUntil"
            + "|^waitForCompletion\\(\\)|owner\\.touch\\(\"wait");

    private LincheckTraceDigest() {
    }

    static String digest(String report) {
        String[] lines = report.split("\n");
        int from = -1;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith("The following interleaving")) {
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
                String event = cells[c].trim();
                if (event.isEmpty() || !KEEP.matcher(event).find() || DROP.matcher(event).find()) {
                    continue;
                }
                String thread = names.get(c - 1);
                if (thread.equals("Main Thread") && !event.contains("switch") && !event.contains("AssertionError")) {
                    continue;
                }
                String row = String.format("%-12s %s", thread, event);
                if (out.isEmpty() || !out.get(out.size() - 1).equals(row)) {
                    out.add(row);
                }
            }
        }
        return String.join("\n", out) + "\n";
    }
}
