package dev.zwb.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * zwb check --set NAME=VALUE: a constant of a TLC config replaced for one
 * run. The config on disk is never written; the runner gives TLC the
 * overridden text from its own scratch directory.
 */
public final class ConfigOverrides {

    private static final Pattern ASSIGNMENT = Pattern.compile("(?m)^(\\s*)(\\w+)(\\s*=\\s*)(.*)$");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_]\\w*");

    private ConfigOverrides() {
    }

    /** The constants a config assigns ("Name = value" lines), in order. */
    public static List<String> constants(String configText) {
        List<String> out = new ArrayList<>();
        Matcher m = ASSIGNMENT.matcher(configText);
        while (m.find()) {
            out.add(m.group(2));
        }
        return out;
    }

    /**
     * The config text with each overridden constant's value replaced.
     *
     * @throws IllegalArgumentException naming the constant when the config does not assign it
     */
    public static String apply(String configText, Map<String, String> overrides, String configName) {
        String text = configText;
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String name = o.getKey();
            if (!NAME.matcher(name).matches() || !constants(text).contains(name)) {
                throw new IllegalArgumentException("--set " + name + ": config " + configName
                        + " sets no constant of that name; it sets " + String.join(", ", constants(text)));
            }
            Matcher m = ASSIGNMENT.matcher(text);
            StringBuilder sb = new StringBuilder();
            while (m.find()) {
                String replacement = m.group(2).equals(name)
                        ? m.group(1) + name + m.group(3) + o.getValue() + "  \\* zwb --set"
                        : m.group(0);
                m.appendReplacement(sb, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(sb);
            text = sb.toString();
        }
        return text;
    }

    /** "NAME=VALUE" as a pair, or an error naming the bad argument. */
    public static Map.Entry<String, String> parse(String arg) {
        int eq = arg.indexOf('=');
        if (eq <= 0 || eq == arg.length() - 1 || !NAME.matcher(arg.substring(0, eq).trim()).matches()) {
            throw new IllegalArgumentException("--set '" + arg + "' is not NAME=VALUE (for example --set PoolSize=3)");
        }
        return Map.entry(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
    }
}
