package org.forumgateway.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import org.forumgateway.delivery.Progress;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v1/messages}: send, look at, list and cancel messages. */
final class MessageEndpoints {
    static final String LOCATION_PREFIX = "/v1/messages/";
    /** The query parameters each route takes; any other is refused, so that a misspelt dry_run sends nothing. */
    static final String DRY_RUN = "dry_run";
    static final String STATUS = "status";
    static final String REFERENCE = "reference";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final Set<String> SEND_PARAMETERS = Set.of(DRY_RUN);
    static final Set<String> LIST_PARAMETERS = Set.of(REFERENCE, STATUS, Cursor.PARAMETER, Cursor.LIMIT);
    private static final ObjectMapper CANONICAL = JsonInput.MAPPER.copy()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final ApiMessages messages;
    private final MessageRequestParser parser;
    private final IdempotencyStore idempotency;

    MessageEndpoints(ApiMessages messages, MessageRequestParser parser, IdempotencyStore idempotency) {
        this.messages = messages;
        this.parser = parser;
        this.idempotency = idempotency;
    }

    /**
     * What is wrong with a {@code POST /v1/messages}'s Idempotency-Key header, if anything. Answered once the body is
     * read: refused before it, the answer could be lost to a reset while the client is still writing (WebServerTest).
     */
    private static Optional<Problem> idempotencyKeyProblem(WebRequest.Headers headers) {
        Optional<String> given = headers.first(IDEMPOTENCY_KEY);
        if (given.flatMap(IdempotencyStore::validKey).isPresent()) {
            return Optional.empty();
        }
        String detail = "The " + IDEMPOTENCY_KEY + " header is " + (given.isEmpty() ? "required" : "not valid")
                + ": 1-255 visible ASCII characters, new for every message (a UUID will do).";
        return Optional.of(new Problem(400, Problem.INVALID_REQUEST, detail,
                List.of(new Problem.HeaderError(IDEMPOTENCY_KEY, detail))));
    }

    /** {@code POST /v1/messages}. */
    WebResponse send(WebRequest request, ApiKey caller) {
        try {
            return sendOnce(request, caller);
        } catch (Replayed replayed) {
            return replayed.answer();
        }
    }

    private WebResponse sendOnce(WebRequest request, ApiKey caller) {
        String key = request.header(IDEMPOTENCY_KEY).flatMap(IdempotencyStore::validKey)
                .orElseThrow(() -> idempotencyKeyProblem(request.headers()).orElseThrow().raise());
        boolean dryRun = flag(request, DRY_RUN);
        MessageRequest message;
        try {
            message = parser.parse(request.body());
        } catch (Problem.Raised refused) {
            // What was valid may not be any more (a send_at now past, an event since removed): a retry of an accepted
            // request is still answered as the first was.
            if (!dryRun) {
                wellFormedHash(request.body()).flatMap(hash -> idempotency.find(caller.name(), key, hash))
                        .ifPresent(MessageEndpoints::answerOtherwise);
            }
            throw refused;
        }
        if (dryRun) {
            return WebResponse.jsonOf(200, answer(messages.dryRun(message), true));
        }
        String hash = hash(request.body());
        if (!(message.to() instanceof MessageRequest.Target.Audience)) {
            // One person or one group: resolved and rendered first (reads), then claim, store, queue and answer in
            // one short write. A retry of an accepted request is answered as the first was, even if its recipient
            // has blocked the bot since.
            ApiMessages.Prepared prepared;
            try {
                prepared = messages.prepare(message, Optional.empty());
            } catch (Problem.Raised refused) {
                idempotency.find(caller.name(), key, hash).ifPresent(MessageEndpoints::answerOtherwise);
                throw refused;
            }
            return messages.write(handle -> {
                answerOtherwise(idempotency.claim(handle, caller.name(), key, hash));
                return accepted(handle, caller, key, messages.accept(handle, caller.name(), prepared));
            });
        }
        // An audience may be thousands of people: the key is claimed first (a retry meanwhile gets 409), and the
        // audience is resolved outside the write transaction.
        answerOtherwise(messages.write(handle -> idempotency.claim(handle, caller.name(), key, hash)));
        try {
            ApiMessages.Prepared prepared = messages.prepare(message, Optional.of(messages.recipients(message.to())));
            return messages.write(handle -> accepted(handle, caller, key, messages.accept(handle, caller.name(),
                    prepared)));
        } catch (RuntimeException e) {
            idempotency.release(caller.name(), key);
            throw e;
        }
    }

    /** Throws the answer to a key used before: its stored answer, or the problem. */
    private static void answerOtherwise(IdempotencyStore.Claim claim) {
        if (claim instanceof IdempotencyStore.Claim.Replay replay) {
            IdempotencyStore.Answer answer = replay.answer();
            throw new Replayed(WebResponse.json(answer.status(), answer.body())
                    .withHeader("Location", answer.location()).withHeader("Idempotent-Replayed", "true"));
        }
        if (claim instanceof IdempotencyStore.Claim.Mismatch) {
            throw Problem.of(422, Problem.IDEMPOTENCY_MISMATCH,
                    "This Idempotency-Key was used with another body; use a new key for a new message.").raise();
        }
        if (claim instanceof IdempotencyStore.Claim.InProgress) {
            throw Problem.of(409, Problem.IDEMPOTENCY_IN_PROGRESS,
                    "The first request with this Idempotency-Key is still being handled; retry shortly.").raise();
        }
    }

    /** Stores the answer under the key, in the transaction that accepted the message, and returns it. */
    private WebResponse accepted(org.jdbi.v3.core.Handle handle, ApiKey caller, String key,
                                 ApiMessages.Accepted accepted) {
        String location = LOCATION_PREFIX + accepted.id().orElseThrow();
        String body = write(answer(accepted, false));
        idempotency.complete(handle, caller.name(), key, new IdempotencyStore.Answer(202, location, body));
        return WebResponse.json(202, body).withHeader("Location", location);
    }

    /** A stored answer, thrown out of the transaction (which wrote nothing) to be answered as it is. */
    static final class Replayed extends RuntimeException {
        private final WebResponse answer;

        Replayed(WebResponse answer) {
            super(null, null, false, false);
            this.answer = answer;
        }

        WebResponse answer() {
            return answer;
        }
    }

    /** {@code GET /v1/messages/{id}}. */
    WebResponse get(WebRequest request, ApiKey caller) {
        return WebResponse.jsonOf(200, view(messages.view(ownMessage(request, caller))));
    }

    /**
     * The caller's own message: another key's is not found, as in {@code GET /v1/messages}. Its deliveries name
     * people by their ids in other systems, and ids are sequential.
     */
    private ApiMessages.Stored ownMessage(WebRequest request, ApiKey caller) {
        return messages.find(id(request)).filter(message -> message.keyName().equals(caller.name()))
                .orElseThrow(MessageEndpoints::notFound);
    }

    /** {@code DELETE /v1/messages/{id}}. */
    WebResponse cancel(WebRequest request, ApiKey caller) {
        // Each system cancels its own messages; another one's is not found, so that ids do not tell what exists.
        long id = ownMessage(request, caller).id();
        return messages.cancel(id, caller.name()).map(view -> WebResponse.jsonOf(200, view(view)))
                .orElseThrow(() -> nothingToCancel(id).raise());
    }

    /**
     * Why a message has nothing left to cancel. A retried DELETE whose first answer was lost must not read as
     * "everything was sent", so a message cancelled before says so, with its own type.
     */
    private Problem nothingToCancel(long id) {
        ApiMessages.Stored message = messages.find(id).orElseThrow();
        if (message.status() == ApiMessages.Status.CANCELLED) {
            return Problem.of(409, Problem.ALREADY_CANCELLED, "The message was cancelled before"
                    + message.finishedAt().map(at -> " (" + at + ")").orElse("")
                    + "; GET it for what was sent before that.");
        }
        return Problem.of(409, Problem.CONFLICT, "Nothing is left to cancel: every message is sent or settled.");
    }

    /** {@code GET /v1/messages/{id}/deliveries}. */
    WebResponse deliveries(WebRequest request, ApiKey caller) {
        ApiMessages.Stored message = ownMessage(request, caller);
        int limit = Cursor.limit(request.queryParameter(Cursor.LIMIT), 100, 1000);
        String list = "d/" + message.id();
        long after = Cursor.decode(list, request.queryParameter(Cursor.PARAMETER)).orElse(Long.MIN_VALUE);
        List<ApiMessages.Delivery> page = message.notificationId()
                .map(notification -> messages.deliveries(notification, caller.name(), after, limit + 1))
                .orElse(List.of());
        boolean more = page.size() > limit;
        List<ApiMessages.Delivery> items = more ? page.subList(0, limit) : page;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(delivery -> {
            Map<String, Object> item = new LinkedHashMap<>();
            // Telegram gives groups negative chat ids: a group is not a person, as in the delivery.failed webhook.
            item.put("telegram_id", delivery.recipient() < 0 ? null : delivery.recipient());
            item.put("chat_id", delivery.chatId());
            item.put("external_id", delivery.externalId().orElse(null));
            item.put("status", delivery.status());
            item.put("attempts", delivery.attempts());
            item.put("error", delivery.error().orElse(null));
            item.put("sent_at", delivery.sentAt().map(Instant::toString).orElse(null));
            return item;
        }).toList());
        body.put("next_cursor", more ? Cursor.encode(list, items.get(items.size() - 1).recipient()) : null);
        return WebResponse.jsonOf(200, body);
    }

    /** {@code GET /v1/messages?reference=&status=&cursor=&limit=}. */
    WebResponse list(WebRequest request, ApiKey caller) {
        int limit = Cursor.limit(request.queryParameter(Cursor.LIMIT), 50, 200);
        Optional<Long> before = Cursor.decode("m", request.queryParameter(Cursor.PARAMETER));
        Optional<ApiMessages.Status> status = request.queryParameter(STATUS).map(text -> {
            try {
                return ApiMessages.Status.valueOf(text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Problem.invalidParameter(STATUS,
                        "The status parameter must be scheduled, sending, done or cancelled.").raise();
            }
        });
        List<ApiMessages.View> page = messages.list(caller.name(), request.queryParameter(REFERENCE), status, before,
                limit + 1);
        boolean more = page.size() > limit;
        List<ApiMessages.View> items = more ? page.subList(0, limit) : page;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", items.stream().map(MessageEndpoints::view).toList());
        body.put("next_cursor", more ? Cursor.encode("m", items.get(items.size() - 1).message().id()) : null);
        return WebResponse.jsonOf(200, body);
    }

    static Map<String, Object> answer(ApiMessages.Accepted accepted, boolean dryRun) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", accepted.id().orElse(null));
        body.put("status", accepted.status());
        body.put("recipients", accepted.recipients());
        body.put("parts", accepted.parts());
        body.put("reference", accepted.reference().orElse(null));
        if (dryRun) {
            body.put("dry_run", true);
        }
        return body;
    }

    static Map<String, Object> view(ApiMessages.View view) {
        ApiMessages.Stored message = view.message();
        Progress progress = view.progress();
        boolean cancelledBeforeStart = view.status() == ApiMessages.Status.CANCELLED
                && message.notificationId().isEmpty();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("queued", progress.pending());
        counts.put("sent", progress.sent());
        counts.put("failed", progress.failed());
        counts.put("blocked", progress.blocked());
        counts.put("cancelled", cancelledBeforeStart ? message.recipients() : progress.cancelled());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", message.id());
        body.put("status", view.status().code());
        body.put("recipients", message.recipients());
        body.put("counts", counts);
        body.put("created_at", message.createdAt().toString());
        body.put("send_at", message.sendAt().map(Instant::toString).orElse(null));
        body.put("send_at_local", message.sendAtLocal().map(LocalDateTime::toString).orElse(null));
        body.put("expires_at", message.expiresAt().map(Instant::toString).orElse(null));
        body.put("finished_at", view.finishedAt().map(Instant::toString).orElse(null));
        body.put("reference", message.reference().orElse(null));
        return body;
    }

    private static long id(WebRequest request) {
        try {
            return Long.parseLong(request.pathParameter("id"));
        } catch (NumberFormatException e) {
            throw notFound();
        }
    }

    private static Problem.Raised notFound() {
        return Problem.notFound("There is no such message.").raise();
    }

    static boolean flag(WebRequest request, String name) {
        Optional<String> value = request.queryParameter(name);
        if (value.isEmpty() || value.get().equals("false")) {
            return false;
        }
        if (value.get().equals("true")) {
            return true;
        }
        throw Problem.invalidParameter(name, "The " + name + " parameter must be true or false.").raise();
    }

    /** {@link #wellFormedHash} of a body the parser accepted. */
    private static String hash(byte[] body) {
        return wellFormedHash(body).orElseThrow(() -> new IllegalStateException("a body that parsed once parses again"));
    }

    /**
     * SHA-256 of the body's JSON with object members in name order: whitespace and order do not make it new, except
     * the order of {@code texts}, which says whose text a reader of another language gets (the first given). Empty
     * when the body is not JSON at all (a body refused for what it says still has one).
     */
    private static Optional<String> wellFormedHash(byte[] body) {
        try {
            Object value = CANONICAL.treeToValue(JsonInput.MAPPER.readTree(body), Object.class);
            if (value instanceof Map<?, ?> members && members.get("texts") instanceof Map<?, ?> texts) {
                Map<Object, Object> ordered = new LinkedHashMap<>(members);
                ordered.put("texts", texts.entrySet().stream()
                        .map(text -> Arrays.asList(text.getKey(), text.getValue())).toList()); // a value may be null
                value = ordered;
            }
            return Optional.of(HexFormat.of().formatHex(ApiKeys.sha256(CANONICAL.writeValueAsString(value))));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String write(Object value) {
        try {
            return JsonInput.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
