package dev.zwb.check;

/**
 * One broken invariant and what was seen.
 *
 * @param invariant the invariant (its name is the spec's; its group the defect catalogue's)
 * @param detail    what was seen
 */
public record Violation(Invariant invariant, String detail) {
    @Override
    public String toString() {
        return invariant.group() + "/" + invariant + ": " + detail;
    }
}
