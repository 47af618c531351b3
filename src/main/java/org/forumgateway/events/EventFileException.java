package org.forumgateway.events;

/** The events file is malformed. The message names the file, the line and the field, on one line. */
public final class EventFileException extends RuntimeException {
    public EventFileException(String message) {
        super(message);
    }
}
