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
}
