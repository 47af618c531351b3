package org.forumgateway.chat;

import java.util.ArrayList;
import java.util.List;

/** Rows of inline buttons under a message. */
public record Keyboard(List<List<Button>> rows) {
    public static final Keyboard NONE = new Keyboard(List.of());

    public Keyboard {
        rows = rows.stream().map(List::copyOf).toList();
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** Lays {@code buttons} out {@code perRow} to a row. */
    public static Keyboard grid(List<Button> buttons, int perRow) {
        List<List<Button>> rows = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i += perRow) {
            rows.add(buttons.subList(i, Math.min(i + perRow, buttons.size())));
        }
        return new Keyboard(rows);
    }
}
