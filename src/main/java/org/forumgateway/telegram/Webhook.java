package org.forumgateway.telegram;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where Telegram pushes updates and the secret it sends with each push. {@link #toString()} hides the secret.
 *
 * @param baseUrl the operator's public base URL ({@code TELEGRAM_WEBHOOK_URL})
 */
public record Webhook(URI baseUrl, String secret) {
    /** The path served on HTTP_PORT; it never contains the token. */
    public static final String PATH = "/telegram/webhook";
    /** Telegram's updates are a few KB; a megabyte leaves room for long texts and refuses floods. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /**
     * Connections Telegram may open at once. Each push is one short SQLite write and all writes queue on one lock,
     * so more connections add waiting, not throughput; 10 keeps a burst moving without piling up.
     */
    static final int MAX_CONNECTIONS = 10;
    /**
     * Exactly the update types the bot handles (see UpdateTranslator), for the webhook and for polling alike:
     * my_chat_member tells the bot which groups it is in (Telegram sends it only when asked for).
     */
    static final List<String> ALLOWED_UPDATES = List.of("message", "callback_query", "my_chat_member");

    /** The URL given to setWebhook: the base URL and {@link #PATH}. */
    public String endpointUrl() {
        String base = baseUrl.toString();
        return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH;
    }

    /** Plain http is fine on loopback (a local Bot API server), and to be warned about elsewhere. */
    boolean unencryptedOffLoopback() {
        if (!"http".equals(baseUrl.getScheme())) {
            return false;
        }
        try {
            return !InetAddress.getByName(baseUrl.getHost()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return !"localhost".equalsIgnoreCase(baseUrl.getHost());
        }
    }

    @Override
    public String toString() {
        return "Webhook[" + endpointUrl() + ", secret=<redacted>]";
    }
}
