package dev.zwb.sched;

import dev.zwb.kernel.Step;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A step hook that records every (thread, label) the model passes, in order: the Java side of
 * trace validation against a TLC behaviour.
 */
public final class StepLog implements Step {

    /** One step: the thread that took it and its label. */
    public record Entry(String thread, String label) {
        @Override
        public String toString() {
            return thread + ":" + label;
        }
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    @Override
    public void at(String label) {
        entries.add(new Entry(Thread.currentThread().getName(), label));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The labels passed by threads whose names start with {@code prefix}, in order. */
    public List<String> labels(String prefix) {
        return entries.stream().filter(e -> e.thread().startsWith(prefix)).map(Entry::label).toList();
    }
}
