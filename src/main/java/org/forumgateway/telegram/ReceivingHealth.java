package org.forumgateway.telegram;

import okhttp3.Interceptor;
import okhttp3.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Whether updates still come in, for /healthz. Polling: the last getUpdates answered (it returns at least every
 * poll timeout, even when nobody writes) must be younger than the poll timeout plus a minute. Webhook: a quiet bot
 * receives nothing, so silence alone proves nothing; unhealthy is when Telegram reports updates waiting for us
 * (getWebhookInfo, asked at most once a minute) and none has been stored for two minutes. Either way, unhealthy
 * while received updates cannot be stored, and while Telegram refuses polls because another process polls the token
 * (or a webhook is set on it). Thread-safe.
 */
public final class ReceivingHealth implements Interceptor {
    /** How long Telegram may hold undelivered updates in webhook mode before the bot counts as unhealthy. */
    static final Duration WEBHOOK_SILENCE = Duration.ofMinutes(2);
    /**
     * How long a getUpdates refused with 409 keeps the report unhealthy. Two processes polling one token take turns
     * holding the long poll, so each sees successes between the refusals; a webhook another program set refuses
     * every poll.
     */
    static final Duration CONFLICT_MEMORY = Duration.ofMinutes(2);
    private static final Logger log = LoggerFactory.getLogger(ReceivingHealth.class);

    /** How updates come in. */
    public enum Mode { POLLING, WEBHOOK }

    /** What getWebhookInfo said last. */
    record WebhookInfo(int pendingUpdates, Optional<String> lastError, Optional<Instant> lastErrorAt,
                       Instant checkedAt) {
    }

    /** The updates part of the health report. */
    public record Report(boolean healthy, Map<String, Object> details) {
        public Report {
            details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
        }
    }

    private final Clock clock;
    private final Duration pollSilence;
    private final StoreOutage storeOutage;
    private final Instant createdAt;
    private volatile Mode mode = Mode.POLLING;
    private volatile boolean receiving;
    private volatile Instant receivingSince;
    private volatile Instant lastPoll;
    private volatile Instant lastConflict;
    private volatile Instant lastWarned;
    private volatile Instant lastStored;
    private volatile WebhookInfo webhookInfo;

    public ReceivingHealth(Clock clock, int pollTimeoutSeconds) {
        this.clock = clock;
        this.pollSilence = Duration.ofSeconds(pollTimeoutSeconds).plusMinutes(1);
        this.storeOutage = new StoreOutage(clock);
        this.createdAt = clock.instant();
    }

    StoreOutage storeOutage() {
        return storeOutage;
    }

    /**
     * The mode the configuration asks for, before it is set up: /healthz names it while start-up (setWebhook) is
     * still being tried, instead of saying "polling" to an operator who is troubleshooting the webhook.
     */
    void expecting(Mode mode) {
        this.mode = mode;
    }

    /** Polling or the webhook is set up and updates may come. */
    void receiving(Mode mode) {
        this.mode = mode;
        this.receivingSince = clock.instant();
        this.webhookInfo = null;
        this.receiving = true;
    }

    void stopped() {
        receiving = false;
    }

    void stored() {
        storeOutage.stored();
        lastStored = clock.instant();
    }

    /** Seeds the webhook's "last stored" with what the inbox holds from before a restart. */
    void storedBefore(Optional<Instant> instant) {
        if (lastStored == null) {
            instant.ifPresent(at -> lastStored = at);
        }
    }

    void webhookInfo(WebhookInfo info) {
        webhookInfo = info;
    }

    /** True while received updates cannot be stored. */
    public boolean storingFails() {
        return storeOutage.failingSince().isPresent();
    }

    public Report report() {
        Instant now = clock.instant();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("mode", mode.name().toLowerCase(Locale.ROOT));
        if (!receiving) {
            details.put("status", "starting");
            details.put("startingForSeconds", seconds(createdAt, now));
            // Not receiving yet is only healthy while start-up can reasonably take: the Bot API answers soon.
            return new Report(Duration.between(createdAt, now).compareTo(pollSilence) < 0, details);
        }
        boolean healthy = !storingFails();
        if (storingFails()) {
            details.put("failedStoreAttempts", storeOutage.failures());
        }
        Instant conflict = lastConflict;
        boolean conflicted = conflict != null && Duration.between(conflict, now).compareTo(CONFLICT_MEMORY) < 0;
        if (conflicted) {
            details.put("conflictSecondsAgo", seconds(conflict, now));
        }
        if (mode == Mode.POLLING) {
            Instant since = lastPoll != null ? lastPoll : receivingSince;
            boolean fresh = Duration.between(since, now).compareTo(pollSilence) < 0;
            Optional.ofNullable(lastPoll).ifPresent(at -> details.put("lastPollSecondsAgo", seconds(at, now)));
            healthy &= fresh && !conflicted;
            details.put("status", conflicted ? "conflict" : !fresh ? "stale" : storingFails() ? "not-stored" : "ok");
        } else {
            Optional.ofNullable(lastStored).ifPresent(at -> details.put("lastUpdateSecondsAgo", seconds(at, now)));
            WebhookInfo info = webhookInfo;
            boolean stuck = false;
            if (info != null) {
                details.put("pendingUpdates", info.pendingUpdates());
                // Asked once a minute: an older answer means getWebhookInfo has been failing since.
                details.put("webhookInfoSecondsAgo", seconds(info.checkedAt(), now));
                info.lastError().ifPresent(error -> details.put("lastError", error));
                info.lastErrorAt().ifPresent(at -> details.put("lastErrorSecondsAgo", seconds(at, now)));
                Instant since = lastStored != null && lastStored.isAfter(receivingSince) ? lastStored : receivingSince;
                stuck = info.pendingUpdates() > 0 && Duration.between(since, now).compareTo(WEBHOOK_SILENCE) > 0;
            }
            healthy &= !stuck && !conflicted;
            details.put("status", conflicted ? "conflict"
                    : stuck ? "undelivered" : storingFails() ? "not-stored" : "ok");
        }
        return new Report(healthy, details);
    }

    /**
     * Webhook mode: the once-a-minute check found the webhook removed or pointing elsewhere (another program, or a
     * second bot polling the token) and set it again. The updates sent elsewhere meanwhile never reach this bot.
     */
    void webhookTakenElsewhere() {
        lastConflict = clock.instant();
    }

    /** Sees every getUpdates answer on the polling client. */
    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (chain.request().url().encodedPath().toLowerCase(Locale.ROOT).endsWith("/getupdates")) {
            Instant now = clock.instant();
            if (response.isSuccessful()) {
                lastPoll = now;
            } else if (response.code() == 409) {
                noteConflict(now);
            }
        }
        return response;
    }

    /**
     * Another process polls this token, or a webhook is set on it: the updates it takes are not this bot's to
     * answer. Said in the log once per {@link #CONFLICT_MEMORY} of it, and on /healthz while it lasts.
     */
    private void noteConflict(Instant now) {
        lastConflict = now;
        Instant warned = lastWarned;
        if (warned == null || Duration.between(warned, now).compareTo(CONFLICT_MEMORY) >= 0) {
            lastWarned = now;
            log.warn("Telegram refuses this bot's getUpdates (409 Conflict): another process polls the same token, "
                    + "or a webhook is set on it; the updates it takes never reach this bot (README, Troubleshooting)");
        }
    }

    private static long seconds(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toSeconds());
    }
}
