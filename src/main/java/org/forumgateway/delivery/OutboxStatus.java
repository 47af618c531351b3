package org.forumgateway.delivery;

/** Where an outbox row stands; {@link #code()} is what {@code outbox.status} stores. */
public enum OutboxStatus {
    PENDING("pending"),
    IN_FLIGHT("in_flight"),
    SENT("sent"),
    FAILED("failed"),
    BLOCKED("blocked"),
    CANCELLED("cancelled");

    private final String code;

    OutboxStatus(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
