package dev.zwb.writeback;

import dev.zwb.zram.ReadPath;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A design with a set of defect switches on: as released, fixed (none), or one defect alone.
 *
 * @param design  the design
 * @param name    "as-released", "fixed", or the defect's name
 * @param defects the switches that are on
 */
public record Variant(Design design, String name, Set<Defect> defects) {

    public Variant {
        for (Defect d : defects) {
            if (!d.appliesTo(design)) {
                throw new IllegalArgumentException(d + " does not apply to " + design.id());
            }
        }
        defects = Collections.unmodifiableSet(defects.isEmpty()
                ? EnumSet.noneOf(Defect.class) : EnumSet.copyOf(defects));
    }

    /** The code as released (or posted). */
    public static Variant asReleased(Design design) {
        return new Variant(design, "as-released", design.asReleased());
    }

    /** Every defect switched off. */
    public static Variant fixed(Design design) {
        return new Variant(design, "fixed", EnumSet.noneOf(Defect.class));
    }

    /** One defect on, the rest off. */
    public static Variant only(Design design, Defect defect) {
        return new Variant(design, defect.name(), EnumSet.of(defect));
    }

    /** as-released, fixed, then each defect alone. */
    public static List<Variant> all(Design design) {
        List<Variant> all = new ArrayList<>();
        all.add(asReleased(design));
        all.add(fixed(design));
        for (Defect d : design.defects()) {
            all.add(only(design, d));
        }
        return all;
    }

    public boolean on(Defect defect) {
        return defects.contains(defect);
    }

    /**
     * The read path: READ_BLKIDX_UNLOCKED selects the pre-6/6 path (which had no re-check
     * either), else NO_READ_RECHECK selects 6/6 as merged, else 6/6 with the re-check.
     */
    public ReadPath readPath() {
        if (on(Defect.READ_BLKIDX_UNLOCKED)) {
            return ReadPath.UNLOCKED_HANDLE;
        }
        return on(Defect.NO_READ_RECHECK) ? ReadPath.LOCKED_HANDLE : ReadPath.LOCKED_HANDLE_RECHECK;
    }

    @Override
    public String toString() {
        return design.id() + "/" + name;
    }
}
