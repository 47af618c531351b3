package org.forumgateway.telegram;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
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

    @Override
    public WebResponse handle(WebRequest request) {
        String presented = request.header(SECRET_HEADER).orElse("");
        // Digests have one length, so the comparison takes the same time whatever was presented.
        if (!MessageDigest.isEqual(secretDigest, digest(presented))) {
            return WebResponse.problem(401, "Unauthorized", "The " + SECRET_HEADER + " header is missing or wrong.");
        }
        String body = request.bodyText();
        // Only the id is needed to store it; reading it into the library's objects waits until it is answered.
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (IOException | RuntimeException e) {
            return notAnUpdate();
        }
        if (tree == null || !tree.isObject() || !tree.path("update_id").canConvertToInt()
                || !tree.path("update_id").isIntegralNumber()) {
            return notAnUpdate();
        }
        UpdateInbox.Received received = new UpdateInbox.Received(tree.path("update_id").intValue(), body);
        UpdateConsumer ready = consumer;
        if (ready == null || !ready.consumeOnce(received, () -> read(tree), pushed)) {
            return WebResponse.problem(503, "Service Unavailable", "The update cannot be stored now; send it again.")
                    .withHeader("Retry-After", "5");
        }
        return ACCEPTED;
    }

    private Update read(JsonNode tree) {
        try {
            return json.treeToValue(tree, Update.class);
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
