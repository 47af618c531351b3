package org.forumgateway.delivery;

import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the delivery engine reads and writes: the queue window, claiming rows, and recording the answers
 * (with the blocked user). The engine's only storage; thread-safe as Jdbi is.
 */
final class DeliveryStore {
    private static final Logger log = LoggerFactory.getLogger(DeliveryStore.class);

    private final Outbox outbox;
    private final Clock clock;
    private final WebhookEvents webhooks;
    private final AcceptedInGroup acceptedInGroup;
    private final AcceptedAfterCancel acceptedAfterCancel;
    private final ChatBlocks blocks;

    /** @param webhooks told of blocked users and of messages failed for good, in the same transaction */
    DeliveryStore(Outbox outbox, Clock clock, WebhookEvents webhooks) {
        this(outbox, clock, webhooks, AcceptedInGroup.none(), AcceptedAfterCancel.none());
    }

    /**
     * @param acceptedInGroup     told of each notification message accepted in a group, in the same transaction
     * @param acceptedAfterCancel told of each message accepted after its notification was cancelled, likewise
     */
    DeliveryStore(Outbox outbox, Clock clock, WebhookEvents webhooks, AcceptedInGroup acceptedInGroup,
                  AcceptedAfterCancel acceptedAfterCancel) {
        this.outbox = outbox;
        this.clock = clock;
        this.webhooks = webhooks;
        this.acceptedInGroup = acceptedInGroup;
        this.acceptedAfterCancel = acceptedAfterCancel;
        this.blocks = new ChatBlocks(outbox, webhooks, clock);
    }

    /** Rows a crash left in flight go back to the queue; returns how many. */
    int requeueInFlight() {
        return outbox.requeueInFlight();
    }

    /** Up to {@code limit} rows due now, in sending order. */
    List<OutboxRow> queued(int limit) {
        return outbox.queued(limit, clock.instant());
    }

    /** The interactive rows among those due now, in sending order: what a queued reply adds to the window. */
    List<OutboxRow> queuedReplies(int limit) {
        return outbox.queuedReplies(limit, clock.instant());
    }

    /** Marks the rows in flight, durably, before they are sent; returns those that were still pending. */
    List<Outbox.Claimed> markInFlight(List<OutboxRow> rows) {
        return outbox.claim(rows);
    }

    /**
     * Writes what became of each answered row, all in one transaction, with the webhook events they raise. A row
     * whose notification was cancelled while it was on its way is not tried again.
     */
    void record(List<Answered> answers) {
        outbox.settle(settlement -> {
            // Nearly always one notification (a broadcast), or none (replies).
            Set<Long> cancelled = settlement.cancelledAmong(answers.stream().map(Answered::row)
                    .flatMap(row -> row.notificationId().stream()).collect(Collectors.toSet()));
            for (Answered answer : answers) {
                OutboxRow row = answer.row();
                boolean wasCancelled = row.notificationId().filter(cancelled::contains).isPresent();
                if (answer.outcome() instanceof AfterAnswer.Sent delivered) {
                    settlement.sent(row.id(), delivered.messageId());
                    if (wasCancelled && delivered.messageId().isPresent()) {
                        acceptedAfterCancel.accepted(settlement.handle(), row.notificationId().get(),
                                settlement.accepted(row, delivered.messageId().get()));
                    } else if (row.chatId() < 0 && row.notificationId().isPresent()
                            && delivered.messageId().isPresent()) {
                        // Groups only: a private chat has nothing to pin, and the query stays off the broadcast path.
                        acceptedInGroup.accepted(settlement.handle(), row.notificationId().get(),
                                settlement.accepted(row, delivered.messageId().get()));
                    }
                } else if (answer.outcome() instanceof AfterAnswer.Retry && wasCancelled) {
                    settlement.cancelled(row.id());
                } else if (answer.outcome() instanceof AfterAnswer.Retry later) {
                    settlement.retry(row.id(), later.at(), later.reason(), later.countsAsAttempt());
                } else if (answer.outcome() instanceof AfterAnswer.Blocked blocked) {
                    blocks.blocked(settlement.handle(), row.chatId(), blocked.reason(), answer.sentAt());
                    log.info("Chat {} blocked the bot ({}); its messages are dropped", row.chatId(), blocked.reason());
                } else if (answer.outcome() instanceof AfterAnswer.Migrated migrated) {
                    settlement.migrated(row.id(), row.chatId(), migrated.newChatId());
                    if (wasCancelled) {
                        settlement.cancelled(row.id());
                    }
                } else if (answer.outcome() instanceof AfterAnswer.Fail fail) {
                    log.warn("Outbox message {} to chat {} failed: {}", row.id(), row.chatId(), fail.reason());
                    settlement.failed(row.id(), fail.reason());
                    if (row.chatId() < 0 && "pin".equals(row.method())) {
                        settlement.pinRefused(row.chatId(), fail.reason());
                    }
                    // A button's answer is not a message anyone receives; a text's later part failing after an
                    // earlier one is the same delivery failing, published once (as the counts count recipients).
                    if (!OutgoingCodec.isButtonAnswer(row.method())
                            && !outbox.anotherPartFailed(settlement.handle(), row)) {
                        webhooks.deliveryFailed(settlement.handle(), row.notificationId(),
                                sentAs(settlement.handle(), row), row.chatId(), row.attempts() + 1, fail.reason());
                    }
                }
            }
        });
    }

    /**
     * The announcement or API message a failed row belongs to, named as {@code message.completed} names it, so that
     * the system that sent it can tell which of its messages failed.
     */
    private Optional<WebhookEvents.SentAs> sentAs(Handle handle, OutboxRow row) {
        return row.notificationId().flatMap(id -> outbox.notificationName(handle, id)).flatMap(name -> {
            if (name.kind().equals(NotificationKind.API_MESSAGE.code())) {
                return Optional.of(WebhookEvents.SentAs.api(Long.parseLong(name.reference())));
            }
            if (name.kind().equals(NotificationKind.ANNOUNCEMENT.code())) {
                return Optional.of(WebhookEvents.SentAs.announcement(Long.parseLong(name.reference())));
            }
            return Optional.empty();
        });
    }

    /**
     * A row and what its answer made of it.
     *
     * @param sentAt when the row's request was sent: a refusal says what was true then
     */
    record Answered(OutboxRow row, AfterAnswer outcome, Instant sentAt) {
        /** An answer whose sending time nothing needs (tests that settle rows by hand): any refusal counts. */
        Answered(OutboxRow row, AfterAnswer outcome) {
            this(row, outcome, ChatBlocks.ANY_TIME);
        }
    }
}
