package org.forumgateway.i18n;

/**
 * Text that is already valid Telegram HTML. Message arguments of this type are inserted as they are; every
 * other string argument is escaped, so user-supplied text can never inject markup.
 */
public record Html(String value) {

    /** Escapes the three characters Telegram's HTML parse mode treats specially. */
    public static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }

    public static Html of(String text) {
        return new Html(escape(text));
    }

    @Override
    public String toString() {
        return value;
    }
}
