package org.forumgateway.telegram;

import org.forumgateway.storage.KeptValues;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The webhook's secret token: the operator's ({@code TELEGRAM_WEBHOOK_SECRET}), else one generated at the first
 * start and kept in the database, so restarts and redeploys keep it.
 */
public final class WebhookSecrets {
    private static final String NAME = "telegram.webhook-secret";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeptValues kept;

    public WebhookSecrets(KeptValues kept) {
        this.kept = kept;
    }

    public String secret(Optional<String> configured) {
        return configured.orElseGet(() -> kept.keep(NAME, WebhookSecrets::fresh));
    }

    /** 43 characters of A-Z, a-z, 0-9, - and _: what Telegram allows in a secret token. */
    private static String fresh() {
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
