package dev.zwb.conform;

import dev.zwb.writeback.Design;

import java.util.List;
import java.util.Map;

/**
 * The refinement mapping of one design: a function from the Java twin's state to the values of
 * the spec's variables. A variable the Java twin has no counterpart of is listed in
 * {@link #notCompared()} with its reason; every other variable of a TLC state is compared.
 */
public interface Refinement {

    /** The spec's variables, computed from the twin (call it while every model thread is parked). */
    Map<String, TlaValue> map(JavaTwin twin);

    /** Variables not compared, each with a one-line reason. */
    Map<String, String> notCompared();

    /**
     * The projection both sides are compared through: clears fields that are dead in
     * {@code state} (nothing reads them before they are written again) and merges spellings
     * the C cannot tell apart. Identity by default.
     */
    default TlaValue project(String variable, TlaValue value, Map<String, TlaValue> state) {
        return value;
    }

    /** The slots the trace's select steps take, in order (to order the Java's pp buckets alike). */
    List<Integer> selectOrder(List<TraceStep> trace);

    /** Whether a step at {@code label} may end with its thread asleep (a wait the spec models as a label). */
    default boolean maySleep(String label) {
        return false;
    }

    /** The device steps of the design: the labels a "bdev" step may have. */
    List<String> deviceSteps();

    /**
     * Which held bio a device step ends, with which status (0 or a negative errno), and the
     * process its end_io goes on as afterwards ("endio[i]"), or null when the end_io ends within
     * the device step.
     */
    record DeviceStep(dev.zwb.bdev.Bio bio, int status, String endio) {
    }

    /** The bio the device step to {@code step} completes in the twin, read off the trace. */
    DeviceStep device(JavaTwin twin, TraceStep prev, TraceStep step);

    /** The mapping of {@code design}. */
    static Refinement of(Design design) {
        return switch (design) {
            case SINGLE -> new SingleRefinement();
            case MULTIPAGE -> new MultipageRefinement();
            case BATCHED -> new BatchedRefinement();
        };
    }
}
