package dev.zwb.manifest;

/**
 * The verdict a model is held to.
 *
 * @param result         "success", "invariant", "property" or "deadlock"
 * @param name           the invariant or property that must fail (null for success/deadlock)
 * @param distinctStates for a pass: TLC's distinct-state count (-1: not pinned, e.g. simulation)
 * @param depth          for a pass: the depth of the state graph (-1: not pinned)
 * @param traceLength    for a failure: the length of the (shortest) counterexample
 */
public record Expected(String result, String name, long distinctStates, int depth, int traceLength) {

    public static final java.util.List<String> RESULTS =
            java.util.List.of("success", "invariant", "property", "deadlock");

    public boolean isSuccess() {
        return result.equals("success");
    }

    /** "pass", "Reads", "WritebackReturns", "deadlock": what the table shows. */
    public String shortText() {
        if (isSuccess()) {
            return "pass";
        }
        return name != null ? name : result;
    }
}
