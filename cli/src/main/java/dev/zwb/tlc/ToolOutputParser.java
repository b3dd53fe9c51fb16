package dev.zwb.tlc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads TLC's {@code -tool} output: blocks opened by
 * {@code @!@!@STARTMSG code:severity @!@!@} and closed by
 * {@code @!@!@ENDMSG code @!@!@}. The codes it acts on (TLC 2.18,
 * tlc2.output.EC): 2107/2110 invariant violated, 2114 deadlock, 2116
 * temporal property violated, 2217 a trace state, 2122 "back to state"
 * (the loop of a liveness trace), 2132 assertion failed, 2199 state counts,
 * 2194 search depth, 2218 stuttering (the end of a liveness trace), 2262
 * TLC's version, 5006 a config-file error (nested inside message 1000). Any
 * message of severity 1 (error) that is none of those gives the error line
 * for a run that could not be checked. SANY's parse and semantic errors are
 * plain lines; they become {@code file:line:col: message}. Lines the specs
 * print with PrintT: {@code <<"zwb-reach", "label">>} (a label taken) and
 * {@code <<"zwb-labels", {...}>>} (the labels the spec declares).
 *
 * No error line it returns carries a TLC marker or a Java exception name.
 */
public final class ToolOutputParser {

    private static final Pattern START = Pattern.compile("^@!@!@STARTMSG (\\d+):(\\d+) @!@!@$");
    private static final Pattern END = Pattern.compile("^@!@!@ENDMSG (\\d+) @!@!@$");
    private static final Pattern INVARIANT = Pattern.compile("Invariant (\\S+) is violated");
    private static final Pattern STATES =
            Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states found");
    private static final Pattern DEPTH = Pattern.compile("depth of the complete state graph search is (\\d+)");
    private static final Pattern STATE_HEAD = Pattern.compile("^(\\d+): (.*)$");
    private static final Pattern VAR = Pattern.compile("^/\\\\ (\\S+) = (.*)$");

    private static final int EC_INVARIANT_INITIAL = 2107;
    private static final int EC_INVARIANT = 2110;
    private static final int EC_DEADLOCK = 2114;
    private static final int EC_TEMPORAL = 2116;
    private static final int EC_TRACE_STATE = 2217;
    private static final int EC_BACK_TO_STATE = 2122;
    private static final int EC_ASSERT = 2132;
    private static final int EC_STATES = 2199;
    private static final int EC_DEPTH = 2194;
    private static final int SEVERITY_ERROR = 1;
    private static final String CONFIG_EXCEPTION = "tlc2.tool.ConfigFileException";
    private static final int EC_STUTTERING = 2218;
    private static final int EC_VERSION = 2262;
    private static final int EC_CONFIG = 5006;
    private static final Pattern REACH = Pattern.compile("^<<\\s*\"zwb-reach\",\\s*\"(\\w+)\"\\s*>>$");
    private static final Pattern QUOTED = Pattern.compile("\"([\\w-]+)\"");
    private static final Pattern CONFIG_LINE = Pattern.compile("configuration file at line (\\d+)");

    private ToolOutputParser() {
    }

    /** One message: its code, severity and body lines. */
    record Message(int code, int severity, List<String> body) {
        String text() {
            return String.join("\n", body).trim();
        }
    }

    /** The messages, in the order they end; a message nested in another (5006 in 1000) is its own. */
    static List<Message> messages(List<String> lines) {
        List<Message> out = new ArrayList<>();
        java.util.Deque<Message> open = new java.util.ArrayDeque<>();
        for (String line : lines) {
            // a nested start can follow text on the same line (": @!@!@STARTMSG 5006:0 @!@!@")
            int at = line.indexOf("@!@!@STARTMSG");
            Matcher s = at >= 0 ? START.matcher(line.substring(at)) : null;
            if (s != null && s.matches()) {
                if (at > 0 && !open.isEmpty()) {
                    open.peek().body().add(line.substring(0, at));
                }
                open.push(new Message(Integer.parseInt(s.group(1)), Integer.parseInt(s.group(2)), new ArrayList<>()));
                continue;
            }
            if (!open.isEmpty() && END.matcher(line).matches()) {
                out.add(open.pop());
                continue;
            }
            if (!open.isEmpty()) {
                open.peek().body().add(line);
            }
        }
        return out;
    }

    public static TlcResult parse(List<String> lines, int exitCode, long wallMillis, Path output) {
        TlcOutcome outcome = TlcOutcome.fromExitCode(exitCode);
        String violated = null;
        long distinct = -1;
        long generated = -1;
        int depth = -1;
        int loopBackTo = -1;
        boolean stuttering = false;
        String errorLine = null;
        String version = null;
        boolean sawViolation = false;
        boolean configError = false;
        List<TraceState> trace = new ArrayList<>();

        for (Message m : messages(lines)) {
            switch (m.code()) {
                case EC_INVARIANT, EC_INVARIANT_INITIAL -> {
                    Matcher v = INVARIANT.matcher(m.text());
                    if (v.find()) {
                        violated = v.group(1);
                    }
                    sawViolation = true;
                }
                case EC_DEADLOCK, EC_TEMPORAL, EC_ASSERT -> sawViolation = true;
                case EC_TRACE_STATE -> trace.add(traceState(m.body()));
                case EC_BACK_TO_STATE -> loopBackTo = backTo(m.text());
                case EC_STUTTERING -> stuttering = true;
                case EC_VERSION -> version = firstLine(m.text());
                case EC_CONFIG -> {
                    configError = true;
                    errorLine = configErrorLine(m.text());
                }
                case EC_STATES -> {
                    Matcher v = STATES.matcher(m.text());
                    if (v.find()) {
                        generated = number(v.group(1));
                        distinct = number(v.group(2));
                    }
                }
                case EC_DEPTH -> {
                    Matcher v = DEPTH.matcher(m.text());
                    if (v.find()) {
                        depth = Integer.parseInt(v.group(1));
                    }
                }
                default -> {
                    int cfg = m.text().indexOf(CONFIG_EXCEPTION);
                    if (m.severity() == SEVERITY_ERROR && cfg >= 0 && !configError) {
                        // a config error TLC reports as an "unexpected exception" without a nested 5006
                        configError = true;
                        errorLine = configErrorLine(m.text().substring(cfg + CONFIG_EXCEPTION.length())
                                .replaceFirst("^\\s*:\\s*", "").trim());
                    } else if (m.severity() == SEVERITY_ERROR && errorLine == null && !m.text().isBlank()) {
                        errorLine = firstLine(m.text());
                    }
                }
            }
        }
        // An exit code that claims a violation without the message that names it
        // (or the reverse) means TLC did not finish the way we think: call it a crash.
        if (outcome.isViolation() != sawViolation || outcome == TlcOutcome.INVARIANT && violated == null) {
            if (outcome != TlcOutcome.PARSE_ERROR && outcome != TlcOutcome.CONFIG_ERROR) {
                outcome = TlcOutcome.CRASH;
            }
        }
        if (configError) {
            outcome = TlcOutcome.CONFIG_ERROR;
        }
        if (outcome == TlcOutcome.PARSE_ERROR) {
            String sany = SanyErrors.first(lines);
            if (sany != null) {
                errorLine = sany;
            }
        }
        if (outcome.isError() && (errorLine == null || errorLine.isBlank())) {
            errorLine = lastNonBlank(lines);
        }
        java.util.SortedSet<String> reached = new java.util.TreeSet<>();
        java.util.SortedSet<String> declared = new java.util.TreeSet<>();
        StringBuilder labels = null; // PrintT breaks a long set over several lines
        for (String line : lines) {
            Matcher r = REACH.matcher(line.trim());
            if (r.matches()) {
                reached.add(r.group(1));
                continue;
            }
            if (labels == null && line.trim().startsWith("<<") && line.contains("\"zwb-labels\"")) {
                labels = new StringBuilder();
            }
            if (labels != null) {
                labels.append(' ').append(line.trim());
                if (line.contains(">>")) {
                    Matcher q = QUOTED.matcher(labels);
                    while (q.find()) {
                        if (!q.group(1).equals("zwb-labels")) {
                            declared.add(q.group(1));
                        }
                    }
                    labels = null;
                }
            }
        }
        return new TlcResult(outcome, violated, distinct, generated, depth, trace, loopBackTo,
                exitCode, wallMillis, errorLine == null ? null : clean(errorLine), output, stuttering, reached,
                declared, version);
    }

    /** "TLC found an error in the configuration file at line 5 / It was expecting }..." as "line 5: It was expecting }...". */
    private static String configErrorLine(String text) {
        Matcher l = CONFIG_LINE.matcher(text);
        String[] parts = text.split("\n");
        String rest = parts.length > 1 ? String.join(" ", java.util.Arrays.copyOfRange(parts, 1, parts.length)) : text;
        return (l.find() ? "line " + l.group(1) + ": " : "") + rest.replaceAll("\\s+", " ").trim();
    }

    /** No TLC marker and no Java exception name reaches the user. */
    public static String clean(String line) {
        return line.replaceAll("@!@!@(START|END)MSG \\d+(:\\d+)? @!@!@", " ")
                .replaceAll("\\b(?:[a-z][\\w$]*\\.)+[A-Z][\\w$]*(?:Exception|Error)\\b:?", " ")
                .replaceAll("\\s+", " ").trim();
    }

    private static TraceState traceState(List<String> body) {
        int number = -1;
        String action = "";
        Map<String, String> vars = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : body) {
            if (number < 0) {
                Matcher h = STATE_HEAD.matcher(line.trim());
                if (h.matches()) {
                    number = Integer.parseInt(h.group(1));
                    action = actionName(h.group(2).trim());
                }
                continue;
            }
            Matcher v = VAR.matcher(line);
            if (v.matches()) {
                if (name != null) {
                    vars.put(name, collapse(value));
                }
                name = v.group(1);
                value = new StringBuilder(v.group(2));
            } else if (name != null && !line.isBlank()) {
                value.append(' ').append(line.trim());
            }
        }
        if (name != null) {
            vars.put(name, collapse(value));
        }
        return new TraceState(number, action, vars);
    }

    /** "<scan line 67, col 5 to ... of module ZramSingle>" is "scan"; "<Initial predicate>" stays whole. */
    private static String actionName(String text) {
        String t = text;
        if (t.startsWith("<") && t.endsWith(">")) {
            t = t.substring(1, t.length() - 1);
        }
        int at = t.indexOf(" line ");
        return at > 0 ? t.substring(0, at) : t;
    }

    private static int backTo(String text) {
        Matcher h = STATE_HEAD.matcher(firstLine(text));
        return h.matches() ? Integer.parseInt(h.group(1)) : -1;
    }

    private static String collapse(CharSequence s) {
        return s.toString().trim().replaceAll("\\s+", " ");
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static String firstLine(String text) {
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                return line.trim();
            }
        }
        return "";
    }

    private static String lastNonBlank(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            String line = lines.get(i);
            if (!line.isBlank() && !line.contains("@!@!@")) {
                return line.trim();
            }
        }
        return "TLC printed nothing";
    }
}
