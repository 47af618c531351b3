package org.forumgateway.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.delivery.Progress;
import org.forumgateway.users.ExternalIdDao;
import org.jdbi.v3.core.Handle;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the rest of the bot publishes events for other systems. Each call queues the event for every endpoint
 * subscribed to its type, inside the caller's open transaction: the webhook exists exactly when the change that
 * caused it was committed. With no endpoint configured it does nothing. Thread-safe.
 */
public final class WebhookEvents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final WebhookEvents NONE = new WebhookEvents(List.of(), null, Clock.systemUTC(), () -> { });

    private final List<WebhookEndpoint> endpoints;
    private final WebhookQueue queue;
    private final Clock clock;
    private final Runnable wakeSender;
    private final ExternalIdDao externalIds = new ExternalIdDao();

    WebhookEvents(List<WebhookEndpoint> endpoints, WebhookQueue queue, Clock clock, Runnable wakeSender) {
        this.endpoints = List.copyOf(endpoints);
        this.queue = queue;
        this.clock = clock;
        this.wakeSender = wakeSender;
    }

    /** Publishes nothing: for parts built without webhooks (tests, tools). */
    public static WebhookEvents none() {
        return NONE;
    }

    /**
     * Queues {@code {"type", "timestamp", "data"}} for every endpoint that wants {@code type}, in {@code handle}'s
     * transaction; rolled back with it. {@code data} holds JSON values: strings, numbers, booleans, lists, maps.
     */
    public void publish(Handle handle, WebhookEventType type, Map<String, Object> data) {
        publish(handle, type, () -> data);
    }

    /** The same, with data that is looked up only when some endpoint wants {@code type}. */
    private void publish(Handle handle, WebhookEventType type, Supplier<Map<String, Object>> data) {
        List<WebhookEndpoint> subscribed = endpoints.stream().filter(endpoint -> endpoint.wants(type)).toList();
        if (subscribed.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        String webhookId = newWebhookId();
        String body = body(type, now, data.get());
        for (WebhookEndpoint endpoint : subscribed) {
            queue.enqueue(handle, endpoint.name(), webhookId, type, body, now);
        }
        if (handle.isInTransaction()) {
            handle.afterCommit(wakeSender);
        } else {
            wakeSender.run();
        }
    }

    /**
     * {@code rsvp.changed}: {@code event_key}, {@code telegram_id}, {@code external_id} (the id the person was last
     * linked to with {@code POST /v1/links}; null when they are not linked), {@code linked_ids} (their id in each
     * system, by key name: every endpoint gets one body, and the last link may be another system's), {@code status}
     * (going, maybe, declined, waitlisted).
     */
    public void rsvpChanged(Handle handle, String eventKey, long telegramId, String status) {
        publish(handle, WebhookEventType.RSVP_CHANGED, () -> {
            ExternalIdDao.Links links = externalIds.links(handle, telegramId);
            return ordered("event_key", eventKey, "telegram_id", telegramId, "external_id",
                    links.latest().orElse(null), "linked_ids", links.byKey(), "status", status);
        });
    }

    /**
     * {@code user.blocked}: the user blocked the bot; {@code external_id} and {@code linked_ids} as in
     * rsvp.changed.
     */
    public void userBlocked(Handle handle, long telegramId, String reason) {
        publish(handle, WebhookEventType.USER_BLOCKED, () -> {
            ExternalIdDao.Links links = externalIds.links(handle, telegramId);
            return ordered("telegram_id", telegramId, "external_id", links.latest().orElse(null),
                    "linked_ids", links.byKey(), "reason", reason);
        });
    }

    /**
     * {@code user.erased}: everything the bot kept about {@code telegramId} is being erased, in the caller's
     * transaction; {@code external_ids} are every id the systems had linked to them (read before they go), so each
     * system can erase its own copy.
     */
    public void userErased(Handle handle, long telegramId) {
        publish(handle, WebhookEventType.USER_ERASED, () -> {
            ExternalIdDao.Links links = externalIds.links(handle, telegramId);
            return ordered("telegram_id", telegramId, "external_ids", links.inOrder(), "linked_ids", links.byKey());
        });
    }

    /** {@code user.linked}: {@code telegramId}'s account is now {@code externalId} in the caller's systems. */
    public void userLinked(Handle handle, long telegramId, String externalId) {
        publish(handle, WebhookEventType.USER_LINKED, ordered("telegram_id", telegramId, "external_id", externalId));
    }

    /**
     * {@code delivery.failed}: one message could not be delivered and will not be tried again. Names the message as
     * {@code message.completed} does, and a person (a private chat) by Telegram id and by external id when linked.
     */
    public void deliveryFailed(Handle handle, Optional<Long> notificationId, Optional<SentAs> sentAs, long chatId,
                               int attempts, String error) {
        publish(handle, WebhookEventType.DELIVERY_FAILED, () -> {
            Map<String, Object> data = new LinkedHashMap<>();
            notificationId.ifPresent(id -> data.put("notification_id", id));
            sentAs.ifPresent(message -> {
                data.put("source", message.source());
                data.put("message_id", message.messageId());
            });
            data.put("chat_id", chatId);
            if (chatId > 0) {
                data.put("telegram_id", chatId);
                ExternalIdDao.Links links = externalIds.links(handle, chatId);
                data.put("external_id", links.latest().orElse(null));
                data.put("linked_ids", links.byKey());
            }
            data.put("attempts", attempts);
            data.put("error", error);
            return data;
        });
    }

    /**
     * A message as the events name it: {@code source} {@code announcement} or {@code api}, and its id (a string,
     * as documented).
     */
    public record SentAs(String source, String messageId) {
        static final String API = "api";

        public static SentAs announcement(long id) {
            return new SentAs("announcement", String.valueOf(id));
        }

        public static SentAs api(long id) {
            return new SentAs(API, String.valueOf(id));
        }
    }

    /**
     * {@code message.completed}: every message of {@code message} is settled. The counts are recipients, each in the
     * state of everything queued for them ({@link org.forumgateway.delivery.RecipientState}).
     *
     * @param reference the API message's {@code reference}, echoed back (null when it has none); announcements have
     *                  no such field
     * @param ending    how it ended: {@code cancelled} when the sending system cancelled an API message
     */
    public void messageCompleted(Handle handle, SentAs message, Optional<String> reference, Ending ending,
                                 Progress progress) {
        Map<String, Object> data = ordered("source", message.source(), "message_id", message.messageId());
        if (message.source().equals(SentAs.API)) {
            data.put("reference", reference.orElse(null));
        }
        data.put("status", ending.name().toLowerCase(Locale.ROOT));
        data.put("counts", ordered("total", progress.total(), "sent", progress.sent(), "failed", progress.failed(),
                "blocked", progress.blocked(), "cancelled", progress.cancelled()));
        publish(handle, WebhookEventType.MESSAGE_COMPLETED, data);
    }

    /** How a message ended, as {@code message.completed} says it. */
    public enum Ending { DONE, CANCELLED }

    static String body(WebhookEventType type, Instant at, Map<String, Object> data) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type.wireName());
        body.put("timestamp", DateTimeFormatter.ISO_INSTANT.format(at.truncatedTo(ChronoUnit.MILLIS)));
        body.put("data", data);
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("webhook data must be JSON values: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code msg_} and 128 random bits: the same on every retry, so receivers can drop duplicates. */
    static String newWebhookId() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "msg_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static Map<String, Object> ordered(Object... namesAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            map.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return map;
    }
}
