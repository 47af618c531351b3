package org.forumgateway.chat;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An inline button that sends {@code data} back when pressed, or, with a {@code url}, opens that link.
 *
 * @param data at most 64 bytes of UTF-8, Telegram's limit for callback data; empty for a link button
 * @param url  an http(s) address for a link button
 */
public record Button(String label, String data, Optional<String> url) {
    public static final int MAX_DATA_BYTES = 64;

    public Button {
        int bytes = data.getBytes(StandardCharsets.UTF_8).length;
        if (url.isEmpty() && (bytes == 0 || bytes > MAX_DATA_BYTES)) {
            throw new IllegalArgumentException("callback data must be 1-64 bytes: " + data);
        }
        if (url.isPresent() && !data.isEmpty()) {
            throw new IllegalArgumentException("a link button has no callback data");
        }
    }

    public Button(String label, String data) {
        this(label, data, Optional.empty());
    }

    /** A button that opens {@code url}. */
    public static Button link(String label, String url) {
        return new Button(label, "", Optional.of(url));
    }
}
