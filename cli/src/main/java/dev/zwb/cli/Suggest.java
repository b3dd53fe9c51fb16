package dev.zwb.cli;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "did you mean ...": the accepted names nearest to a mistyped one. */
final class Suggest {

    private Suggest() {
    }

    /** Up to three accepted names within a small edit distance of the given one, nearest first. */
    static List<String> near(String given, Collection<String> accepted) {
        String g = given.toLowerCase(Locale.ROOT);
        int limit = Math.max(2, g.length() / 3);
        return accepted.stream()
                .filter(a -> distance(g, a.toLowerCase(Locale.ROOT)) <= limit
                        || a.toLowerCase(Locale.ROOT).startsWith(g) && g.length() >= 3)
                .sorted(Comparator.comparingInt((String a) -> distance(g, a.toLowerCase(Locale.ROOT)))
                        .thenComparing(a -> a))
                .limit(3)
                .toList();
    }

    /** The one-line error for an unknown name: a suggestion, or the accepted names when there are few. */
    static String unknown(String what, String given, Collection<String> accepted, String listHint) {
        List<String> near = near(given, accepted);
        String head = "unknown " + what + " '" + given + "'";
        if (!near.isEmpty()) {
            return head + "; did you mean " + String.join(" or ", near) + "?";
        }
        if (accepted.size() <= 12) {
            return head + "; accepted: " + String.join(", ", accepted);
        }
        return head + "; " + listHint;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
