package org.forumgateway.chat;

import java.nio.charset.StandardCharsets;

/**
 * An inline button that sends {@code data} back when pressed.
 *
 * @param data at most 64 bytes of UTF-8, Telegram's limit for callback data
 */
public record Button(String label, String data) {
    public static final int MAX_DATA_BYTES = 64;

    public Button {
        int bytes = data.getBytes(StandardCharsets.UTF_8).length;
        if (bytes == 0 || bytes > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("callback data must be 1-64 bytes: " + data);
        }
    }
}
