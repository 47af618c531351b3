package org.forumgateway.chat;

import java.util.Locale;

/**
 * A photo, document or video to send again by reference: a {@code file_id} Telegram gave the bot (never downloaded
 * and uploaded again), or an https URL Telegram fetches itself.
 */
public record Media(Kind kind, String file) {
    /** Telegram's file ids are well under this; URLs beyond it are refused. */
    public static final int MAX_FILE_LENGTH = 2048;

    public Media {
        if (file.isBlank() || file.length() > MAX_FILE_LENGTH) {
            throw new IllegalArgumentException("media file must be 1-" + MAX_FILE_LENGTH + " characters");
        }
    }

    /** What Telegram shows it as; each is sent with its own method. */
    public enum Kind {
        PHOTO, DOCUMENT, VIDEO;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromCode(String code) {
            return valueOf(code.toUpperCase(Locale.ROOT));
        }
    }
}
