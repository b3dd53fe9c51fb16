package dev.zwb.tlc;

/** How one TLC run ended, read from its exit code and its -tool messages. */
public enum TlcOutcome {
    SUCCESS("success"),
    INVARIANT("invariant"),
    PROPERTY("property"),
    DEADLOCK("deadlock"),
    ASSERTION("assertion"),
    PARSE_ERROR("parse-error"),
    CONFIG_ERROR("config-error"),
    CRASH("crash"),
    TIMEOUT("timeout");

    private final String word;

    TlcOutcome(String word) {
        this.word = word;
    }

    /** The word the manifest and the verdict table use. */
    public String word() {
        return word;
    }

    /** A counterexample was found: the run ended on a violation with a trace. */
    public boolean isViolation() {
        return this == INVARIANT || this == PROPERTY || this == DEADLOCK || this == ASSERTION;
    }

    /** TLC could not check the model at all. */
    public boolean isError() {
        return this == PARSE_ERROR || this == CONFIG_ERROR || this == CRASH || this == TIMEOUT;
    }

    /**
     * TLC 2.18's exit codes (tlc2.output.EC.ExitStatus): 0 success, 11 deadlock,
     * 12 safety violation, 13 liveness violation, 14 assertion or evaluation
     * failure, 150 parse error, 151 config error; anything else is a crash.
     */
    public static TlcOutcome fromExitCode(int code) {
        switch (code) {
            case 0: return SUCCESS;
            case 11: return DEADLOCK;
            case 12: return INVARIANT;
            case 13: return PROPERTY;
            case 14: return ASSERTION;
            case 150: return PARSE_ERROR;
            case 151: return CONFIG_ERROR;
            default: return CRASH;
        }
    }
}
