package org.forumgateway.telegram;

import org.forumgateway.config.ConfigException;
import org.forumgateway.config.TelegramSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.telegram.telegrambots.meta.exceptions.TelegramApiException;
import org.telegram.telegrambots.meta.exceptions.TelegramApiRequestException;

import java.net.URI;
import java.time.Duration;

/**
 * Repeats a step that needs the Bot API until it succeeds, with back-off from 1 s to a minute. Writes one line
 * when the Bot API first cannot be reached, then at most one a minute, and one when it answers again. A refused
 * token (401, or 404 for a malformed one) ends the retries at once with a {@link ConfigException}.
 */
final class Reconnecting {
    private static final Logger log = LoggerFactory.getLogger(Reconnecting.class);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(1);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(1);
    private static final Duration LOG_EVERY = Duration.ofMinutes(1);

    /** One try; throws when the Bot API could not be reached or refused. */
    @FunctionalInterface
    interface Step {
        void run() throws TelegramApiException;
    }

    private final URI apiUrl;

    Reconnecting(URI apiUrl) {
        this.apiUrl = apiUrl;
    }

    /** The step's first try, telling a refused token apart from an unreachable server. */
    boolean tryOnce(String what, Step step) {
        try {
            step.run();
            return true;
        } catch (TelegramApiException e) {
            throwIfTokenRefused(e);
            log.warn("Bot API at {} {} ({}: {}); retrying with back-off, /healthz answers 503 meanwhile", apiUrl,
                    problem(e), what, describe(e));
            return false;
        }
    }

    /**
     * Retries until the step succeeds; the first try is taken to have failed already.
     *
     * @return false when interrupted (the bot is stopping)
     */
    boolean retry(String what, Step step) {
        Duration wait = FIRST_WAIT;
        long attempts = 1;
        long lastLog = System.nanoTime();
        while (true) {
            try {
                Thread.sleep(wait.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            attempts++;
            try {
                step.run();
                log.info("Bot API at {} answers again: {} done after {} attempts", apiUrl, what, attempts);
                return true;
            } catch (TelegramApiException e) {
                throwIfTokenRefused(e);
                if (System.nanoTime() - lastLog >= LOG_EVERY.toNanos()) {
                    lastLog = System.nanoTime();
                    log.warn("Bot API at {} still {} after {} attempts ({}: {}); retrying", apiUrl, problem(e),
                            attempts, what, describe(e));
                }
            }
            wait = wait.multipliedBy(2).compareTo(LONGEST_WAIT) > 0 ? LONGEST_WAIT : wait.multipliedBy(2);
        }
    }

    private void throwIfTokenRefused(TelegramApiException e) {
        if (e instanceof TelegramApiRequestException request && request.getErrorCode() != null
                && (request.getErrorCode() == 401 || request.getErrorCode() == 404)) {
            // Telegram answers 404 to an unknown token; another server may answer 404 because it is no Bot API.
            String otherServer = request.getErrorCode() == 404 && !TelegramSettings.isCloud(apiUrl)
                    ? ", or TELEGRAM_API_URL is not a Bot API server" : "";
            throw new ConfigException("TELEGRAM_BOT_TOKEN was refused by " + apiUrl + " (" + request.getErrorCode()
                    + "): check it with @BotFather (/token)" + otherServer);
        }
    }

    /** An answer refusing the call (setWebhook with a URL Telegram will not use) is not a network problem. */
    private static String problem(TelegramApiException e) {
        return e instanceof TelegramApiRequestException request && request.getErrorCode() != null
                && request.getErrorCode() > 0 ? "refused the call" : "is not reachable";
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return cause.getClass().getSimpleName() + message;
    }
}
