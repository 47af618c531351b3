package org.forumgateway.chat;

import java.util.List;

/** Text as a user typed it: the plain characters and the formatting laid over them. */
public record FormattedText(String text, List<TextEntity> entities) {
    public FormattedText {
        entities = List.copyOf(entities);
    }

    public static FormattedText plain(String text) {
        return new FormattedText(text, List.of());
    }

    /** The same formatting as Telegram HTML, ready for parse_mode=HTML. */
    public String html() {
        return EntityHtml.toHtml(this);
    }
}
