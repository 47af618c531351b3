package org.forumgateway.telegram;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;
import org.telegram.telegrambots.meta.api.objects.Update;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code POST /telegram/webhook}: checks Telegram's secret header in constant time, stores the update in the inbox
 * and answers at once; the chat workers handle it as they handle polled ones. 401 without the right secret
 * (nothing stored), 400 for a body that is not an update, 503 while the update cannot be stored or the bot is
 * still starting (Telegram then sends it again). Thread-safe.
 */
final class WebhookEndpoint implements WebHandler {
    static final String SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";
    private static final WebResponse ACCEPTED = new WebResponse(200, "", new byte[0], Map.of());

    private final byte[] secretDigest;
    /** The body is stored as sent, so it must be one update and nothing after it. */
    private final ObjectMapper json = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);
    private volatile UpdateConsumer consumer;
    private volatile PushedUpdates pushed;

    WebhookEndpoint(String secret) {
        this.secretDigest = digest(secret);
    }

    /** Updates are taken from now on, stored through {@code pushed}. */
    void ready(UpdateConsumer consumer, PushedUpdates pushed) {
        this.pushed = pushed;
        this.consumer = consumer;
    }

    /** Pushes are answered 503 from now on, and Telegram sends them again after the restart. */
    void stop() {
        this.consumer = null;
    }

    /** Without the right secret, the body is not even read. */
    @Override
    public Optional<WebResponse> refuseBeforeBody(WebRequest.Headers headers) {
        String presented = headers.first(SECRET_HEADER).orElse("");
        // Digests have one length, so the comparison takes the same time whatever was presented.
        if (!MessageDigest.isEqual(secretDigest, digest(presented))) {
            return Optional.of(WebResponse.problem(401, "Unauthorized",
                    "The " + SECRET_HEADER + " header is missing or wrong."));
        }
        return Optional.empty();
    }

    @Override
    public WebResponse handle(WebRequest request) {
        Optional<WebResponse> refused = refuseBeforeBody(request.headers());
        if (refused.isPresent()) {
            return refused.get();
        }
        String body = request.bodyText();
        // Only the id is needed to store it; reading it into the library's objects waits until it is answered.
        OptionalInt updateId = updateId(body);
        if (updateId.isEmpty()) {
            return notAnUpdate();
        }
        UpdateInbox.Received received = new UpdateInbox.Received(updateId.getAsInt(), body);
        UpdateConsumer ready = consumer;
        if (ready == null || !ready.consumeOnce(received, () -> read(body), pushed)) {
            return WebResponse.problem(503, "Service Unavailable", "The update cannot be stored now; send it again.")
                    .withHeader("Retry-After", "5");
        }
        return ACCEPTED;
    }

    /**
     * The top-level {@code update_id} of a body that is one JSON object and nothing after it, read as a stream:
     * every token is checked, nothing is built.
     */
    private OptionalInt updateId(String body) {
        try (JsonParser parser = json.getFactory().createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalInt.empty();
            }
            OptionalInt id = OptionalInt.empty();
            for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (field.equals("update_id") && value == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() == JsonParser.NumberType.INT) {
                    id = OptionalInt.of(parser.getIntValue());
                } else {
                    parser.skipChildren();
                }
            }
            return parser.currentToken() == JsonToken.END_OBJECT && parser.nextToken() == null ? id
                    : OptionalInt.empty();
        } catch (IOException | RuntimeException e) {
            return OptionalInt.empty();
        }
    }

    private Update read(String body) {
        try {
            return json.readValue(body, Update.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WebResponse notAnUpdate() {
        return WebResponse.problem(400, "Bad Request", "The body is not a Telegram update (JSON with update_id).");
    }

    private static byte[] digest(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
