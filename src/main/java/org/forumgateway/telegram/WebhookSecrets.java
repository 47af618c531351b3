package org.forumgateway.telegram;

import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * The webhook's secret token: the operator's ({@code TELEGRAM_WEBHOOK_SECRET}), else one generated at the first
 * start and kept in the database, so restarts and redeploys keep it.
 */
public final class WebhookSecrets {
    private static final String NAME = "telegram.webhook-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Jdbi jdbi;
    private final Clock clock;

    public WebhookSecrets(Jdbi jdbi, Clock clock) {
        this.jdbi = jdbi;
        this.clock = clock;
    }

    public String secret(Optional<String> configured) {
        return configured.orElseGet(this::kept);
    }

    private String kept() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        // 43 characters of A-Z, a-z, 0-9, - and _: what Telegram allows in a secret token.
        String fresh = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        return jdbi.inTransaction(handle -> {
            handle.createUpdate("INSERT OR IGNORE INTO kept_secrets (name, value, created_at) VALUES (:name, :value, :now)")
                    .bind("name", NAME).bind("value", fresh).bind("now", clock.millis()).execute();
            return handle.createQuery("SELECT value FROM kept_secrets WHERE name = :name").bind("name", NAME)
                    .mapTo(String.class).one();
        });
    }
}
