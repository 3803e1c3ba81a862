package shop;

import java.util.ArrayList;
import java.util.List;

/** A ledger of amounts in cents. */
public class Ledger {
    private final List<Long> entries = new ArrayList<>();

    /** Adds one entry of {@code cents}. */
    public void add(long cents) {
        entries.add(cents);
    }

    public long total() {
        long sum = 0;
        for (long entry : entries) {
            sum += entry;
        }
        return sum;
    }

    @Deprecated
    public static <T> T first(List<T> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("no items");
        }
        return items.get(0);
    }

    @Override
    public String toString() {
        return "Ledger" + entries;
    }
}
