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
 * 2194 search depth. Any message of severity 1 (error) that is none of those
 * gives the error line for a run that could not be checked.
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

    private ToolOutputParser() {
    }

    /** One message: its code, severity and body lines. */
    record Message(int code, int severity, List<String> body) {
        String text() {
            return String.join("\n", body).trim();
        }
    }

    static List<Message> messages(List<String> lines) {
        List<Message> out = new ArrayList<>();
        Integer code = null;
        int severity = 0;
        List<String> body = new ArrayList<>();
        for (String line : lines) {
            Matcher s = START.matcher(line);
            if (s.matches()) {
                code = Integer.parseInt(s.group(1));
                severity = Integer.parseInt(s.group(2));
                body = new ArrayList<>();
                continue;
            }
            if (code != null && END.matcher(line).matches()) {
                out.add(new Message(code, severity, body));
                code = null;
                continue;
            }
            if (code != null) {
                body.add(line);
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
        String errorLine = null;
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
                    if (m.severity() == SEVERITY_ERROR && errorLine == null) {
                        int cfg = m.text().indexOf(CONFIG_EXCEPTION);
                        if (cfg >= 0) {
                            // TLC reports a bad config as an "unexpected exception", exit 255
                            configError = true;
                            errorLine = m.text().substring(cfg + CONFIG_EXCEPTION.length())
                                    .replaceFirst("^\\s*:", "").replaceAll("\\s+", " ").trim();
                        } else {
                            errorLine = firstLine(m.text());
                        }
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
        if (outcome.isError() && errorLine == null) {
            errorLine = lastNonBlank(lines);
        }
        return new TlcResult(outcome, violated, distinct, generated, depth, trace, loopBackTo,
                exitCode, wallMillis, errorLine, output);
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
            if (!line.isBlank() && !line.startsWith("@!@!@")) {
                return line.trim();
            }
        }
        return "TLC printed nothing";
    }
}
