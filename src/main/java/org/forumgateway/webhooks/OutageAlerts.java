package org.forumgateway.webhooks;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.LanguagePreference;
import org.forumgateway.i18n.Translator;
import org.forumgateway.storage.Columns;
import org.forumgateway.users.User;
import org.jdbi.v3.core.Handle;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Owns the {@code webhook_endpoints} table: how each endpoint is doing. When one has failed {@link #FAILURES} times
 * in a row over at least {@link #BLIP}, or without a success for {@link #FAILING_FOR}, every administrator gets one
 * chat message in their language; once it answers again, one more. At most one alert per outage: the flag is
 * written in the same transaction as the alert.
 */
final class OutageAlerts {
    static final int FAILURES = 10;
    /**
     * Failures within this time of the first are a blip, however many: with events queued, a receiver restarting
     * for a deploy refuses a dozen attempts within a second, and is back before anyone could act on an alert.
     */
    static final Duration BLIP = Duration.ofMinutes(5);
    static final Duration FAILING_FOR = Duration.ofHours(1);

    private final AdminChat admins;

    OutageAlerts(AdminChat admins) {
        this.admins = admins;
    }

    /** The rule, on its own: an outage is long enough to tell people about. */
    static boolean isOutage(int consecutiveFailures, Instant failingSince, Instant now) {
        return consecutiveFailures >= FAILURES && !now.isBefore(failingSince.plus(BLIP))
                || !now.isBefore(failingSince.plus(FAILING_FOR));
    }

    /** Records a failed attempt, inside the transaction that records the attempt. */
    void failed(Handle handle, String endpoint, String error, Instant now) {
        handle.createUpdate("""
                        INSERT INTO webhook_endpoints (name, consecutive_failures, failing_since, last_error)
                        VALUES (:name, 1, :now, :error)
                        ON CONFLICT (name) DO UPDATE SET consecutive_failures = consecutive_failures + 1,
                            failing_since = coalesce(failing_since, :now), last_error = :error""")
                .bind("name", endpoint).bind("now", now.toEpochMilli()).bind("error", error).execute();
        Health health = health(handle, endpoint).orElseThrow();
        if (health.alertedAt().isEmpty() && isOutage(health.failures(), health.failingSince(), now)) {
            handle.createUpdate("UPDATE webhook_endpoints SET alerted_at = :now WHERE name = :name")
                    .bind("now", now.toEpochMilli()).bind("name", endpoint).execute();
            tellAdministrators(handle, endpoint + "@" + health.failingSince().toEpochMilli(),
                    (translator, zone) -> translator.text("webhook.outage", "endpoint", endpoint,
                            "date", DateTimes.date(health.failingSince(), zone, translator.locale()),
                            "time", DateTimes.time(health.failingSince(), zone, translator.locale()),
                            "failures", health.failures(), "error", error));
        }
    }

    /** Records a delivered webhook: the outage, if there was one, is over. */
    void succeeded(Handle handle, String endpoint) {
        Optional<Health> health = health(handle, endpoint).filter(found -> found.failures() > 0);
        if (health.isEmpty()) {
            return;
        }
        handle.createUpdate("""
                        UPDATE webhook_endpoints SET consecutive_failures = 0, failing_since = NULL, last_error = NULL,
                                                     alerted_at = NULL
                        WHERE name = :name""")
                .bind("name", endpoint).execute();
        if (health.get().alertedAt().isPresent()) {
            Instant since = health.get().failingSince();
            tellAdministrators(handle, endpoint + "@" + since.toEpochMilli() + "/recovered",
                    (translator, zone) -> translator.text("webhook.recovered", "endpoint", endpoint,
                            "date", DateTimes.date(since, zone, translator.locale()),
                            "time", DateTimes.time(since, zone, translator.locale())));
        }
    }

    private void tellAdministrators(Handle handle, String reference, Text text) {
        List<Outbox.Addressed> messages = new ArrayList<>();
        for (long adminId : admins.adminIds()) {
            Optional<User> user = admins.users().find(adminId);
            Translator translator = admins.catalog().translator(admins.catalog().resolve(user
                    .map(User::languagePreference)
                    .orElse(new LanguagePreference(Optional.empty(), Optional.empty()))));
            ZoneId zone = user.flatMap(User::timeZone).orElse(admins.defaultZone());
            messages.add(new Outbox.Addressed(adminId, 0,
                    new OutgoingMessage.Send(adminId, text.render(translator, zone), Keyboard.NONE)));
        }
        if (!messages.isEmpty()) {
            queueForAdministrators(handle, reference, messages);
        }
    }

    /** The one call into the outbox, kept apart so that it can follow the outbox's API as it changes. */
    private void queueForAdministrators(Handle handle, String reference, List<Outbox.Addressed> messages) {
        admins.notifications().queue(handle, NotificationKind.WEBHOOK_ALERT, reference, messages);
    }

    private static Optional<Health> health(Handle handle, String endpoint) {
        return handle.createQuery("SELECT * FROM webhook_endpoints WHERE name = :name")
                .bind("name", endpoint)
                .map((rs, ctx) -> new Health(rs.getInt("consecutive_failures"),
                        Instant.ofEpochMilli(rs.getLong("failing_since")),
                        Columns.optionalLong(rs, "alerted_at").map(Instant::ofEpochMilli)))
                .findOne();
    }

    private interface Text {
        String render(Translator translator, ZoneId zone);
    }

    private record Health(int failures, Instant failingSince, Optional<Instant> alertedAt) {
    }
}
