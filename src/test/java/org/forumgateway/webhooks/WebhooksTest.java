package org.forumgateway.webhooks;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.LogCapture;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.WebhookReceiver;
import org.forumgateway.testing.WebhookReceiver.Received;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The webhooks against a real SQLite file and real receivers on loopback, with a clock the test moves: the
 * sender's rounds are run by the test, so retries come due without waiting.
 */
class WebhooksTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String OTHER_SECRET = "whsec_c2Vjb25kIHNlY3JldCBvZiAyNCBieXRlcyE=";
    private static final long ADMIN = 9001;
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.frozenAt(START.toString());
    private final List<WebhookReceiver> receivers = new ArrayList<>();
    private final List<Webhooks> opened = new ArrayList<>();
    private Database database;
    private Jdbi jdbi;
    private UserService users;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        jdbi = database.jdbi();
        users = new UserService(jdbi, Set.of(ADMIN), clock);
    }

    @AfterEach
    void close() {
        opened.forEach(Webhooks::close);
        receivers.forEach(WebhookReceiver::close);
        database.close();
    }

    private WebhookReceiver receiver() {
        WebhookReceiver receiver = WebhookReceiver.start();
        receivers.add(receiver);
        return receiver;
    }

    private static WebhookEndpoint endpoint(String name, String url, WebhookEventType... types) {
        return new WebhookEndpoint(name, URI.create(url), SECRET,
                types.length == 0 ? EnumSet.allOf(WebhookEventType.class) : EnumSet.of(types[0], types));
    }

    /** Webhooks with the real timeouts, and jitter pinned to the middle so delays are exact. */
    private Webhooks webhooks(WebhookEndpoint... endpoints) {
        return webhooks(Webhooks.CALL_TIMEOUT, endpoints);
    }

    private Webhooks webhooks(Duration callTimeout, WebhookEndpoint... endpoints) {
        MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
        Webhooks webhooks = Webhooks.create(List.of(endpoints), jdbi, clock,
                new AdminChat(Set.of(ADMIN), users, catalog, ZoneId.of("Asia/Seoul"), new Notifications(new Outbox(jdbi, clock), () -> { })),
                WebhookSender.httpClient(Duration.ofSeconds(5), callTimeout), new RetrySchedule(() -> 0.5));
        opened.add(webhooks);
        return webhooks;
    }

    private static void rsvp(Webhooks webhooks, Jdbi jdbi, String key) {
        jdbi.useTransaction(handle -> webhooks.events().rsvpChanged(handle, key, 7101, "going"));
    }

    /** One round of the sender, waited for: every attempt it started is recorded when this returns. */
    private static void round(Webhooks webhooks) {
        CompletableFuture.allOf(webhooks.sender().sendDue().toArray(CompletableFuture[]::new)).join();
    }

    private record Row(String endpoint, String webhookId, String status, int attempts, long nextAttemptAt,
                       String lastError, String body) {
    }

    private List<Row> rows() {
        return jdbi.withHandle(handle -> handle.createQuery("SELECT * FROM webhook_deliveries ORDER BY id")
                .map((rs, ctx) -> new Row(rs.getString("endpoint"), rs.getString("webhook_id"), rs.getString("status"),
                        rs.getInt("attempts"), rs.getLong("next_attempt_at"), rs.getString("last_error"),
                        rs.getString("body")))
                .list());
    }

    private Row onlyRow() {
        List<Row> rows = rows();
        assertEquals(1, rows.size(), rows.toString());
        return rows.get(0);
    }

    @Nested
    class Signing {
        @Test
        void aReceiverVerifiesTheSignatureWithTheSpecificationAlone() throws Exception {
            WebhookReceiver receiver = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);

            Received request = receiver.received().get(0);
            assertTrue(WebhookReceiver.verifies(request, SECRET), request.toString());
            assertFalse(WebhookReceiver.verifies(request, OTHER_SECRET), "another secret must not verify");
            assertTrue(request.id().matches("msg_[A-Za-z0-9_-]{22}"), request.id());
            assertEquals(String.valueOf(START.getEpochSecond()), request.timestamp());
            assertEquals("application/json", request.contentType());
            JsonNode body = JSON.readTree(request.body());
            assertEquals("rsvp.changed", body.path("type").asText());
            assertEquals("2026-12-01T00:00:00Z", body.path("timestamp").asText());
            assertEquals("plenary", body.path("data").path("event_key").asText());
            assertEquals("going", body.path("data").path("status").asText());
            assertEquals(7101, body.path("data").path("telegram_id").asLong());
            assertEquals("delivered", onlyRow().status());
            assertEquals(1, onlyRow().attempts());
        }

        @Test
        void aTamperedBodyDoesNotVerify() {
            WebhookReceiver receiver = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            Received request = receiver.received().get(0);
            Received tampered = new Received(request.id(), request.timestamp(), request.signature(),
                    request.contentType(), request.body().replace("going", "declined"));
            assertFalse(WebhookReceiver.verifies(tampered, SECRET));
        }

        @Test
        void userLinkedCarriesTheTelegramAndExternalIds() throws Exception {
            WebhookReceiver receiver = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            jdbi.useTransaction(handle -> webhooks.events().userLinked(handle, 7101, "reg-2026-0042"));
            round(webhooks);
            JsonNode body = JSON.readTree(receiver.received().get(0).body());
            assertEquals("user.linked", body.path("type").asText());
            assertEquals(List.of("type", "timestamp", "data"), fieldNames(body));
            assertEquals(List.of("telegram_id", "external_id"), fieldNames(body.path("data")));
            assertEquals("reg-2026-0042", body.path("data").path("external_id").asText());
            assertEquals(7101, body.path("data").path("telegram_id").asLong());
        }

        @Test
        void theEndpointsTextNeverShowsItsSecret() {
            assertFalse(endpoint("crm", "https://crm.example.org/hooks?token=abc").toString().contains(SECRET));
            assertFalse(endpoint("crm", "https://crm.example.org/hooks?token=abc").toString().contains("token=abc"));
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Nested
    class Retries {
        @Test
        void fiveHundredThenTwoHundredIsDeliveredOnceAfterTwoAttemptsWithTheSameId() {
            WebhookReceiver receiver = receiver();
            receiver.answer(500);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");

            round(webhooks);
            Row afterFailure = onlyRow();
            assertEquals("pending", afterFailure.status());
            assertEquals(1, afterFailure.attempts());
            assertEquals("HTTP 500", afterFailure.lastError());
            assertEquals(START.plusSeconds(30).toEpochMilli(), afterFailure.nextAttemptAt());

            round(webhooks);
            assertEquals(1, receiver.received().size(), "not due yet: nothing sent");

            clock.advance(Duration.ofSeconds(30));
            round(webhooks);
            round(webhooks);
            List<Received> requests = receiver.received();
            assertEquals(2, requests.size());
            assertEquals(requests.get(0).id(), requests.get(1).id(), "the same webhook-id on every retry");
            assertEquals(requests.get(0).body(), requests.get(1).body(), "the same bytes on every retry");
            assertEquals(String.valueOf(START.plusSeconds(30).getEpochSecond()), requests.get(1).timestamp());
            assertTrue(WebhookReceiver.verifies(requests.get(1), SECRET));
            Row delivered = onlyRow();
            assertEquals("delivered", delivered.status());
            assertEquals(2, delivered.attempts());
        }

        @Test
        void anAttemptTheDatabaseCouldNotRecordGoesAgainAfterTheFirstRetryDelayNotNextRound() {
            WebhookReceiver receiver = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            // A real refusal from SQLite, as a full disk or a read-only file gives.
            jdbi.useHandle(handle -> handle.execute("CREATE TRIGGER refuse_records BEFORE UPDATE ON webhook_deliveries "
                    + "BEGIN SELECT RAISE(FAIL, 'database or disk is full'); END"));

            try (LogCapture log = LogCapture.silencing(WebhookSender.class)) {
                round(webhooks);
                round(webhooks);
                assertEquals(List.of("Could not record webhook 1 to crm; it goes again in 30 s"),
                        log.messages(Level.ERROR));
            }
            assertEquals(1, receiver.received().size(), "held back after the failed record, not posted every round");
            assertEquals("pending", onlyRow().status());

            jdbi.useHandle(handle -> handle.execute("DROP TRIGGER refuse_records"));
            clock.advance(RetrySchedule.FIRST_DELAY);
            round(webhooks);
            assertEquals(2, receiver.received().size());
            assertEquals("delivered", onlyRow().status());
        }

        @Test
        void aTimeoutIsRetried() {
            WebhookReceiver receiver = receiver();
            receiver.hold();
            // Long enough that a busy machine does not time out the retry too; the held first attempt still does.
            Webhooks webhooks = webhooks(Duration.ofSeconds(2), endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            assertEquals("timeout", onlyRow().lastError());
            assertEquals("pending", onlyRow().status());

            receiver.release();
            clock.advance(Duration.ofSeconds(30));
            round(webhooks);
            assertEquals("delivered", onlyRow().status());
            assertEquals(2, onlyRow().attempts());
            assertEquals(receiver.received().get(0).id(), receiver.received().get(1).id());
        }

        @Test
        void aRefusedConnectionIsRetried() throws Exception {
            int closedPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                closedPort = socket.getLocalPort();
            }
            Webhooks webhooks = webhooks(endpoint("crm", "http://127.0.0.1:" + closedPort + "/hooks"));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            assertEquals("pending", onlyRow().status());
            assertTrue(onlyRow().lastError().startsWith("ConnectException"), onlyRow().lastError());
        }

        @Test
        void aFailingEndpointIsRetriedWithBackoffForADayThenGivenUp() {
            WebhookReceiver receiver = receiver();
            receiver.answerAlways(503);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            List<Duration> delays = new ArrayList<>();
            List<Instant> attempts = new ArrayList<>();
            while (!"failed".equals(onlyRow().status())) {
                Instant at = clock.instant();
                attempts.add(at);
                round(webhooks);
                Row row = onlyRow();
                if ("pending".equals(row.status())) {
                    Instant next = Instant.ofEpochMilli(row.nextAttemptAt());
                    delays.add(Duration.between(at, next));
                    clock.set(next);
                }
            }
            assertEquals(List.of(30L, 60L, 120L, 240L, 480L, 960L, 1920L, 3600L, 3600L),
                    delays.subList(0, 9).stream().map(Duration::toSeconds).toList());
            Instant last = attempts.get(attempts.size() - 1);
            assertFalse(last.isBefore(START.plus(Duration.ofHours(24))), "tried for at least a day: " + last);
            assertTrue(attempts.get(attempts.size() - 2).isBefore(START.plus(Duration.ofHours(24))));
            assertEquals(attempts.size(), onlyRow().attempts());
            assertEquals(attempts.size(), receiver.received().size());
        }

        @Test
        void aWebhookQueuedBeforeTheBotWasStoppedForTwoDaysStillGetsItsDayOfRetries() {
            WebhookReceiver receiver = receiver();
            receiver.answerAlways(503);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            Instant restarted = START.plus(Duration.ofDays(2));
            clock.set(restarted);
            round(webhooks);
            assertEquals("pending", onlyRow().status(), "its first attempt is no reason to give it up");
            while (!"failed".equals(onlyRow().status())) {
                clock.set(Instant.ofEpochMilli(onlyRow().nextAttemptAt()));
                round(webhooks);
            }
            assertFalse(clock.instant().isBefore(restarted.plus(RetrySchedule.RETRY_FOR)), clock.instant().toString());
        }

        @Test
        void aCrashWhileSendingSendsTheSameWebhookAgain() {
            WebhookReceiver receiver = receiver();
            receiver.hold();
            Webhooks beforeCrash = webhooks(endpoint("crm", receiver.url()));
            rsvp(beforeCrash, jdbi, "plenary");
            List<CompletableFuture<Void>> onTheWire = beforeCrash.sender().sendDue();
            receiver.await(1, Duration.ofSeconds(10));
            assertEquals("pending", onlyRow().status(), "not delivered until the receiver answers");
            assertEquals(0, onlyRow().attempts());

            // A new process on the same database, while the first one has not recorded an answer.
            Webhooks afterRestart = webhooks(endpoint("crm", receiver.url()));
            List<CompletableFuture<Void>> resent = afterRestart.sender().sendDue();
            receiver.await(2, Duration.ofSeconds(10));
            receiver.release();
            CompletableFuture.allOf(onTheWire.toArray(CompletableFuture[]::new)).join();
            CompletableFuture.allOf(resent.toArray(CompletableFuture[]::new)).join();
            List<Received> requests = receiver.received();
            assertEquals(2, requests.size());
            assertEquals(requests.get(0).id(), requests.get(1).id());
            assertEquals("delivered", onlyRow().status());
        }
    }

    @Nested
    class Publishing {
        @Test
        void onlySubscribedEndpointsGetAnEventAndShareItsId() {
            WebhookReceiver crm = receiver();
            WebhookReceiver website = receiver();
            WebhookReceiver archive = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", crm.url(), WebhookEventType.RSVP_CHANGED),
                    endpoint("website", website.url(), WebhookEventType.USER_BLOCKED),
                    endpoint("archive", archive.url()));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);

            assertEquals(List.of("crm", "archive"), rows().stream().map(Row::endpoint).toList());
            assertEquals(1, crm.received().size());
            assertEquals(0, website.received().size());
            assertEquals(1, archive.received().size());
            assertEquals(crm.received().get(0).id(), archive.received().get(0).id());
        }

        @Test
        void aRolledBackTransactionQueuesNothing() {
            Webhooks webhooks = webhooks(endpoint("crm", "https://crm.example.org/hooks"));
            assertThrows(IllegalStateException.class, () -> jdbi.useTransaction(handle -> {
                webhooks.events().rsvpChanged(handle, "plenary", 7101, "going");
                throw new IllegalStateException("the change that caused the event failed");
            }));
            assertEquals(List.of(), rows());
            rsvp(webhooks, jdbi, "plenary");
            assertEquals(1, rows().size());
        }

        @Test
        void withoutEndpointsNothingIsQueued() {
            jdbi.useTransaction(handle -> WebhookEvents.none().rsvpChanged(handle, "plenary", 7101, "going"));
            Webhooks webhooks = webhooks();
            rsvp(webhooks, jdbi, "plenary");
            assertEquals(List.of(), rows());
        }

        @Test
        void dataThatIsNotJsonIsRefusedAndNothingIsQueued() {
            Webhooks webhooks = webhooks(endpoint("crm", "https://crm.example.org/hooks"));
            assertThrows(IllegalArgumentException.class, () -> jdbi.useTransaction(handle -> webhooks.events()
                    .publish(handle, WebhookEventType.RSVP_CHANGED, Map.of("thread", new Object()))));
            assertEquals(List.of(), rows());
        }

        @Test
        void deliveredRowsAreForgottenAfterAWeek() {
            WebhookReceiver receiver = receiver();
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            clock.advance(Duration.ofDays(6));
            rsvp(webhooks, jdbi, "plenary");
            assertEquals(0, webhooks.purge());
            clock.advance(Duration.ofDays(2));
            assertEquals(1, webhooks.purge());
            assertEquals(List.of("pending"), rows().stream().map(Row::status).toList());
        }
    }

    @Nested
    class Concurrency {
        @Test
        void aSlowEndpointHoldsOnlyItsOwnSlots() {
            WebhookReceiver slow = receiver();
            WebhookReceiver fast = receiver();
            slow.hold();
            Webhooks webhooks = webhooks(endpoint("slow", slow.url()), endpoint("fast", fast.url()));
            for (int i = 0; i < 6; i++) {
                jdbi.useTransaction(handle -> webhooks.events().rsvpChanged(handle, "plenary", 7101, "going"));
            }
            webhooks.start();
            slow.await(WebhookSender.PER_ENDPOINT, Duration.ofSeconds(10));
            fast.await(6, Duration.ofSeconds(10));
            assertEquals(WebhookSender.PER_ENDPOINT, slow.received().size(), "at most its slots on the wire");
            slow.release();
            slow.await(6, Duration.ofSeconds(10));
            webhooks.close(); // lets the attempts on the wire be recorded
            assertEquals(12, rows().stream().filter(row -> "delivered".equals(row.status())).count());
        }
    }

    @Nested
    class AdministratorAlerts {
        private List<String> alerts() {
            return jdbi.withHandle(handle -> handle.createQuery("""
                            SELECT o.payload FROM outbox o JOIN notifications n ON n.id = o.notification_id
                            WHERE n.kind = 'webhook_alert' AND o.chat_id = :admin ORDER BY o.id""")
                    .bind("admin", ADMIN).mapTo(String.class).list());
        }

        /** Rounds at this instant until every webhook due has been tried once. */
        private void roundsUntilNothingIsDue(Webhooks webhooks) {
            for (List<CompletableFuture<Void>> started = webhooks.sender().sendDue(); !started.isEmpty();
                 started = webhooks.sender().sendDue()) {
                CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).join();
            }
        }

        /** {@code rounds} rounds, each at the time the next pending webhook is due. */
        private void failAtEachRetry(Webhooks webhooks, int rounds) {
            for (int i = 0; i < rounds; i++) {
                clock.set(Instant.ofEpochMilli(rows().stream().filter(row -> "pending".equals(row.status()))
                        .mapToLong(Row::nextAttemptAt).min().orElseThrow()));
                round(webhooks);
            }
        }

        @Test
        void tenFailuresInARowOverFiveMinutesAreReportedOnceInTheAdministratorsLanguage() throws Exception {
            users.recordSeen(new TelegramProfile(ADMIN, "Admin", Optional.empty(), Optional.empty(), Optional.of("ru")));
            WebhookReceiver receiver = receiver();
            receiver.answerAlways(502);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            for (int i = 0; i < OutageAlerts.FAILURES; i++) {
                rsvp(webhooks, jdbi, "plenary");
            }
            roundsUntilNothingIsDue(webhooks);
            assertEquals(OutageAlerts.FAILURES, receiver.received().size());
            assertEquals(List.of(), alerts(), "ten failures within a second are a blip (a receiver's deploy)");

            clock.set(START.plus(OutageAlerts.BLIP).minusSeconds(1));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            assertEquals(List.of(), alerts(), "not yet five minutes");
            clock.set(START.plus(OutageAlerts.BLIP));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            assertEquals(1, alerts().size());
            String text = JSON.readTree(alerts().get(0)).path("html").asText();
            assertTrue(text.contains("<b>crm</b>") && text.contains("неудачных попыток подряд")
                    && text.contains("HTTP 502") && text.contains("1 декабря, 09:00"), text);

            failAtEachRetry(webhooks, 3);
            assertEquals(1, alerts().size(), "one alert per outage");

            receiver.answerAlways(200);
            failAtEachRetry(webhooks, 1);
            assertEquals(2, alerts().size());
            assertTrue(JSON.readTree(alerts().get(1)).path("html").asText().contains("снова принимает"));

            // A new outage is a new alert.
            receiver.answerAlways(500);
            for (int i = 0; i < OutageAlerts.FAILURES; i++) {
                rsvp(webhooks, jdbi, "plenary");
            }
            roundsUntilNothingIsDue(webhooks);
            clock.set(clock.instant().plus(OutageAlerts.BLIP));
            rsvp(webhooks, jdbi, "plenary");
            round(webhooks);
            assertEquals(3, alerts().size());
        }

        @Test
        void anHourWithoutSuccessIsReportedEvenForAQuietEndpoint() {
            WebhookReceiver receiver = receiver();
            receiver.answerAlways(500);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            // Attempts at 0 s, 30 s, 1.5 min, 3.5 min, 7.5 min, 15.5 min, 31.5 min: under an hour.
            failAtEachRetry(webhooks, 7);
            assertEquals(List.of(), alerts());
            failAtEachRetry(webhooks, 1); // 63.5 min
            assertEquals(1, alerts().size());
            String text = alerts().get(0);
            assertTrue(text.contains("8 attempts in a row") && text.contains("December 1, 09:00"), text);
        }

        @Test
        void anHourOfFailuresIsAnOutageHoweverFewTheAttempts() {
            assertFalse(OutageAlerts.isOutage(3, START, START.plus(Duration.ofMinutes(59))));
            assertTrue(OutageAlerts.isOutage(3, START, START.plus(Duration.ofMinutes(60))));
            assertFalse(OutageAlerts.isOutage(100, START, START.plusSeconds(1)), "a blip, however many failures");
            assertTrue(OutageAlerts.isOutage(10, START, START.plus(OutageAlerts.BLIP)));
            assertFalse(OutageAlerts.isOutage(9, START, START.plus(Duration.ofMinutes(59))));
        }

        @Test
        void aSuccessWithoutAnAlertTellsNobody() {
            WebhookReceiver receiver = receiver();
            receiver.answer(500, 500);
            Webhooks webhooks = webhooks(endpoint("crm", receiver.url()));
            rsvp(webhooks, jdbi, "plenary");
            failAtEachRetry(webhooks, 3);
            assertEquals("delivered", onlyRow().status());
            assertEquals(List.of(), alerts());
        }
    }

    @Nested
    class Schedule {
        @Test
        void delaysDoubleFromThirtySecondsUpToAnHourWithinTheJitter() {
            RetrySchedule low = new RetrySchedule(() -> 0.0);
            RetrySchedule high = new RetrySchedule(() -> 0.999_999);
            assertEquals(Duration.ofSeconds(24), low.delay(1));
            assertEquals(Duration.ofSeconds(36), high.delay(1));
            assertEquals(Duration.ofMinutes(48), low.delay(30));
            assertTrue(high.delay(30).compareTo(Duration.ofMinutes(72)) <= 0
                    && high.delay(30).compareTo(Duration.ofMinutes(71)) > 0, high.delay(30).toString());
        }

        @Test
        void retriesStopOnlyOnceADayHasPassed() {
            RetrySchedule schedule = new RetrySchedule(() -> 0.5);
            Instant almostADay = START.plus(Duration.ofHours(24)).minusMillis(1);
            assertEquals(Optional.of(almostADay.plus(Duration.ofHours(1))), schedule.nextAttempt(START, 30, almostADay));
            assertEquals(Optional.empty(), schedule.nextAttempt(START, 30, START.plus(Duration.ofHours(24))));
        }
    }
}
