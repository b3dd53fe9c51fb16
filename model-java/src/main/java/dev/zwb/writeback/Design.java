package dev.zwb.writeback;

import java.util.EnumSet;
import java.util.Set;

/** The three writeback designs the model holds. */
public enum Design {
    /** Single-page synchronous writeback, v6.13 – v6.18 ({@link SinglePage}). */
    SINGLE("single"),
    /** Yuwen Chen's "[PATCH v3] zram: Implement multi-page write-back" ({@link MultiPage}). */
    MULTIPAGE("multipage"),
    /** "zram: introduce writeback bio batching" as merged for v6.19, plus 7.0 fixes ({@link Batched}). */
    BATCHED("batched");

    private final String id;

    Design(String id) {
        this.id = id;
    }

    /** The name the spec, the manifest and the CLI use. */
    public String id() {
        return id;
    }

    /** The defects the code really had, as released (or as posted). */
    public Set<Defect> asReleased() {
        return switch (this) {
            case SINGLE -> EnumSet.of(Defect.READ_BLKIDX_UNLOCKED);
            case MULTIPAGE -> EnumSet.of(Defect.WRONG_PPS_CLEAR, Defect.REQ_POOL_UAF,
                    Defect.LIMIT_AT_COMPLETION, Defect.READ_BLKIDX_UNLOCKED);
            case BATCHED -> EnumSet.of(Defect.WB_CTL_UAF, Defect.BLK_IDX_LEAK,
                    Defect.NO_READ_RECHECK);
        };
    }

    /** Every defect switch that applies to this design. */
    public Set<Defect> defects() {
        Set<Defect> all = EnumSet.noneOf(Defect.class);
        for (Defect d : Defect.values()) {
            if (d.appliesTo(this)) {
                all.add(d);
            }
        }
        return all;
    }
}
