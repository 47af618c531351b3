package org.forumgateway.i18n;

/** Code asked for a message key that no messages file has: a programming error caught by the key tests. */
public final class MissingMessageException extends RuntimeException {
    public MissingMessageException(String key) {
        super("no message with key '" + key + "' in the default locale");
    }
}
