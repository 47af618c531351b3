package org.forumgateway.delivery;

/**
 * What a notification is, stored in {@code notifications.kind}: with its reference it names the notification, so
 * the same thing is never queued twice.
 */
public enum NotificationKind {
    ANNOUNCEMENT("announcement"),
    /** An edit or recall of a sent announcement; its reference is the change's id. */
    ANNOUNCEMENT_CHANGE("announcement_change"),
    /** The pins of an announcement in the groups it reached; its reference is the announcement's id. */
    ANNOUNCEMENT_PIN("announcement_pin"),
    EVENT_CHANGE("event_change"),
    PROMOTION("promotion"),
    REMINDER("reminder"),
    NUDGE("nudge"),
    WELCOME("welcome"),
    FAREWELL("farewell"),
    /** Members thanked at a cohort's end are told it goes on after all; its reference names the new end. */
    COHORT_EXTENDED("cohort_extended"),
    DIGEST("digest"),
    WEBHOOK_ALERT("webhook_alert"),
    /** A message another system sent through the HTTP API; its reference is the API message's id. */
    API_MESSAGE("api_message");

    private final String code;

    NotificationKind(String code) {
        this.code = code;
    }

    /** The value stored in the database. */
    public String code() {
        return code;
    }
}
