package org.forumgateway.webhooks;

import java.util.Arrays;
import java.util.Optional;

/** The events other systems can subscribe to, with their names on the wire ({@code "rsvp.changed"}). */
public enum WebhookEventType {
    /** An announcement or API message has settled: its final counts. */
    MESSAGE_COMPLETED("message.completed"),
    /** One message failed for good (Telegram refused it, or retries ran out). */
    DELIVERY_FAILED("delivery.failed"),
    /** A Telegram account was linked to an external id. */
    USER_LINKED("user.linked"),
    /** A user blocked the bot: nothing reaches them until they write again. */
    USER_BLOCKED("user.blocked"),
    /** Someone answered an event, or moved up from the waitlist. */
    RSVP_CHANGED("rsvp.changed"),
    /** A person was erased (/forget, DELETE /v1/people): systems that linked them delete their copies too. */
    USER_ERASED("user.erased");

    private final String wireName;

    WebhookEventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The type named {@code wireName}, or empty when there is none. */
    public static Optional<WebhookEventType> fromWireName(String wireName) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(wireName)).findFirst();
    }
}
