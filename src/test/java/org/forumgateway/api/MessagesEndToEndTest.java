package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.RecordedRequest;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /v1/messages and the status endpoints, over HTTP against the real application and the fake Bot API. */
class MessagesEndToEndTest extends ApiEndToEndBase {
    private static final long KZ = 7201;
    private static final long SUPPORTER_ID = 7203;
    private static final long ADMIN_ID = 9001;

    @Nested
    class Sending {
        @Test
        void aMessageToATelegramIdArrivesSilentlyWithItsButtonAndIsReportedDone() {
            ApiClient.Answer accepted = send("m-1", """
                    {"to": {"telegram_id": 7201}, "text": "Visa support: <b>write to us</b>.", "reference": "reg-42",
                     "silent": true, "buttons": [{"text": "Programme", "url": "https://example.org/programme"}]}""");
            assertEquals(202, accepted.status(), accepted.body());
            JsonNode body = accepted.json();
            String location = accepted.header("Location").orElseThrow();
            assertEquals("/v1/messages/" + body.path("id").asLong(), location);
            assertEquals("queued", body.path("status").asText());
            assertEquals(1, body.path("recipients").asInt());
            assertEquals(1, body.path("parts").asInt());
            assertEquals("reg-42", body.path("reference").asText());

            RecordedRequest sent = api.await("sendMessage", m -> m.chatId() == KZ && m.text().startsWith("Visa"));
            assertTrue(sent.body().path("disable_notification").asBoolean(), sent.body().toString());
            assertEquals("https://example.org/programme",
                    sent.body().path("reply_markup").path("inline_keyboard").path(0).path(0).path("url").asText());

            JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("counts").path("sent").asInt());
            assertEquals(0, done.path("counts").path("queued").asInt());
            assertTrue(done.path("finished_at").isTextual());
            JsonNode deliveries = getOnceAllowed(location + "/deliveries").json();
            assertEquals(KZ, deliveries.path("items").path(0).path("telegram_id").asLong());
            assertEquals("sent", deliveries.path("items").path(0).path("status").asText());
            assertTrue(deliveries.path("items").path(0).path("sent_at").isTextual());
            assertTrue(deliveries.path("next_cursor").isNull());
            ApiClient.Answer tooLate = deleteOnceAllowed(location);
            assertEquals(409, tooLate.status());
            assertEquals("urn:forum-gateway:problem:conflict", tooLate.json().path("type").asText(), tooLate.body());

            String audit = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                    "SELECT detail FROM audit_log WHERE action = 'api.message'").mapTo(String.class).one());
            assertTrue(audit.contains("key registration") && !audit.contains(KEY), audit);
        }

        @Test
        void eachRecipientGetsTheirLanguageElseTheDefaultElseTheFirst() {
            ApiClient.Answer accepted = send("m-2", """
                    {"to": {"audience": "all"}, "texts": {"ru": "Пленарное заседание в 10:00.",
                     "ko": "본회의는 10시에 시작합니다."}}""");
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals(3, accepted.json().path("recipients").asInt());
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Пленарное заседание в 10:00."));
            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("본회의는 10시에 시작합니다."));
            // The administrator reads English, which was not given, nor was the default (en): the first given.
            api.await("sendMessage", m -> m.chatId() == ADMIN_ID && m.text().equals("Пленарное заседание в 10:00."));

            ApiClient.Answer english = send("m-3", """
                    {"to": {"audience": "delegates country:KZ"}, "texts": {"en": "In English", "ko": "한국어"}}""");
            assertEquals(1, english.json().path("recipients").asInt(), english.body());
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("In English"));
        }

        @Test
        void aLongTextIsSplitLikeAnAnnouncement() {
            String paragraph = "Forum news. ".repeat(300);
            ApiClient.Answer accepted = send("m-long", ApiClient.json(Map.of("to", Map.of("telegram_id", KZ),
                    "text", paragraph + "\n\n" + paragraph)));
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals(2, accepted.json().path("parts").asInt());
            api.awaitAll("sendMessage", m -> m.chatId() == KZ && m.text().startsWith("Forum news."), 2);
            JsonNode done = awaitMessage(accepted.header("Location").orElseThrow(),
                    m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("counts").path("sent").asInt(), "one person, in two messages: " + done);
        }

        @Test
        void aDryRunCountsAndSendsNothing() {
            ApiClient.Answer dry = client.post("/v1/messages?dry_run=true", "dry-1", """
                    {"to": {"audience": "supporters"}, "text": "Culture day"}""");
            assertEquals(200, dry.status(), dry.body());
            assertEquals(1, dry.json().path("recipients").asInt());
            assertTrue(dry.json().path("dry_run").asBoolean());
            assertEquals(0, count("api_messages"));
            assertEquals(0, outboxRowsOfApiMessages());
        }

        @Test
        void quietHoursHoldAMessageUnlessItIsUrgent() {
            clock.set(Instant.parse("2026-12-01T14:00:00Z")); // 23:00 in Seoul
            ApiClient.Answer urgent = send("q-2",
                    "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Now: room change\", \"urgent\": true}");
            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("Now: room change"));
            ApiClient.Answer held = send("q-1", "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Tomorrow\"}");
            String location = held.header("Location").orElseThrow();
            JsonNode waiting = client.get(location).json();
            assertEquals("sending", waiting.path("status").asText());
            assertEquals(1, waiting.path("counts").path("queued").asInt());
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Tomorrow")));
            assertEquals(202, urgent.status());

            ApiClient.Answer cancelled = client.delete(location);
            assertEquals(200, cancelled.status(), cancelled.body());
            assertEquals("cancelled", cancelled.json().path("status").asText());
            assertEquals(1, cancelled.json().path("counts").path("cancelled").asInt());
            // A retry of the DELETE (its answer lost) learns that it was cancelled, not that everything went out.
            ApiClient.Answer again = deleteOnceAllowed(location);
            assertEquals(409, again.status());
            assertEquals("urn:forum-gateway:problem:already-cancelled", again.json().path("type").asText(),
                    again.body());
        }

        @Test
        void anUrgentMessageGoesAtOnceThoughAMessageHeldForQuietHoursWasQueuedBeforeIt() {
            clock.set(Instant.parse("2026-12-01T14:00:00Z")); // 23:00 in Seoul
            ApiClient.Answer held = send("q-3", "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Tomorrow\"}");
            assertEquals(202, held.status(), held.body());
            send("q-4", "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Now: room change\", \"urgent\": true}");

            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("Now: room change"));
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Tomorrow")),
                    "the other still waits for the morning");
        }
    }

    @Nested
    class EachRecipientsOwnClock {
        @Test
        void sendAtLocalReachesEachRecipientAtThatTimeInTheirZone() {
            // 09:00 in Seoul (the supporter, the forum's zone) and 05:00 in Almaty, where the delegate is.
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE users SET time_zone = 'Asia/Almaty' WHERE telegram_id = ?", KZ));
            ApiClient.Answer accepted = send("local-1", "{\"to\": {\"audience\": \"all\"}, "
                    + "\"text\": \"Visa desk opens\", \"send_at_local\": \"2026-12-01T09:30\"}");
            assertEquals(202, accepted.status(), accepted.body());
            assertEquals("queued", accepted.json().path("status").asText());
            String location = accepted.header("Location").orElseThrow();
            JsonNode waiting = client.get(location).json();
            assertEquals("2026-12-01T09:30", waiting.path("send_at_local").asText(), waiting.toString());
            assertEquals("sending", waiting.path("status").asText());
            // An urgent message queued after it reaches the supporter: had theirs been due, it would have gone first.
            send("local-urgent", "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Hall B is open\", \"urgent\": true}");
            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("Hall B is open"));
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Visa desk opens")),
                    "09:30 has not come anywhere yet");
            assertEquals(3, client.get(location).json().path("counts").path("queued").asInt());

            clock.set(Instant.parse("2026-12-01T00:31:00Z")); // 09:31 in Seoul, 05:31 in Almaty
            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("Visa desk opens"));
            awaitMessage(location, m -> m.path("counts").path("sent").asInt() == 2); // the supporter and the admin
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.chatId() == KZ
                    && m.text().equals("Visa desk opens")), "Almaty's 09:30 is four hours later");

            clock.set(Instant.parse("2026-12-01T04:31:00Z")); // 09:31 in Almaty
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Visa desk opens"));
            awaitMessage(location, m -> m.path("status").asText().equals("done"));
        }

        /** A message to the delegate with the time fields {@code times} (JSON members), as answered. */
        private ApiClient.Answer sendTimed(String key, String times) {
            return send(key, "{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", " + times + "}");
        }

        @Test
        void aLocalTimeWithAnOffsetBesideSendAtOrPassedEverywhereIsRefused() {
            ApiClient.Answer both = sendTimed("local-2",
                    "\"send_at\": \"2026-12-02T09:00:00+09:00\", \"send_at_local\": \"2026-12-02T09:00\"");
            assertEquals(List.of("/send_at_local"), both.pointers(), both.body());
            ApiClient.Answer offset = sendTimed("local-3", "\"send_at_local\": \"2026-12-02T09:00:00+09:00\"");
            assertEquals(List.of("/send_at_local"), offset.pointers(), offset.body());
            // At 2026-12-01T00:00Z it is still 12:00 on November 30th at -12:00; the 29th has passed everywhere.
            ApiClient.Answer passed = sendTimed("local-5", "\"send_at_local\": \"2026-11-29T09:00\"");
            assertEquals(List.of("/send_at_local"), passed.pointers(), passed.body());
            ApiClient.Answer farAhead = sendTimed("local-7", "\"send_at_local\": \"2027-12-05T09:00\"");
            assertEquals(List.of("/send_at_local"), farAhead.pointers(), farAhead.body());
            // 09:00 on the 2nd comes first at +14:00, at 19:00 UTC on the 1st: an expiry before it reaches nobody.
            ApiClient.Answer expiresFirst = sendTimed("local-8",
                    "\"send_at_local\": \"2026-12-02T09:00\", \"expires_at\": \"2026-12-01T18:00:00Z\"");
            assertEquals(List.of("/expires_at"), expiresFirst.pointers(), expiresFirst.body());
            assertTrue(expiresFirst.body().contains("+14:00"), expiresFirst.body());
            ApiClient.Answer dueSomewhere = client.post("/v1/messages?dry_run=true", "local-6",
                    "{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"send_at_local\": \"2026-11-30T14:00\"}");
            assertEquals(200, dueSomewhere.status(), dueSomewhere.body());
            assertEquals(0, count("api_messages"));
        }
    }

    @Nested
    class Expiry {
        @Test
        void aMessageHeldPastItsExpiryIsCancelledNotSentWhileOneWithoutExpiryGoes() {
            clock.set(Instant.parse("2026-12-01T14:00:00Z")); // 23:00 in Seoul: the supporter's quiet hours
            ApiClient.Answer expiring = send("x-1", "{\"to\": {\"telegram_id\": 7203}, "
                    + "\"text\": \"The shuttle leaves at 23:30\", \"expires_at\": \"2026-12-01T23:30:00+09:00\"}");
            assertEquals(202, expiring.status(), expiring.body());
            send("x-2", "{\"to\": {\"telegram_id\": 7203}, \"text\": \"Breakfast at 8\"}");
            String location = expiring.header("Location").orElseThrow();
            assertEquals("2026-12-01T14:30:00Z", client.get(location).json().path("expires_at").asText());

            // Past its expiry, still in quiet hours: cancelled now, not when the hold ends.
            clock.set(Instant.parse("2026-12-01T15:00:00Z"));
            JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("counts").path("cancelled").asInt(), done.toString());
            assertEquals(0, done.path("counts").path("sent").asInt(), done.toString());
            JsonNode delivery = getOnceAllowed(location + "/deliveries").json().path("items").path(0);
            assertEquals("cancelled", delivery.path("status").asText(), delivery.toString());
            assertEquals("expired before it could be sent", delivery.path("error").asText(), delivery.toString());

            clock.set(Instant.parse("2026-12-01T23:30:00Z")); // 08:30 in Seoul: quiet hours over
            api.await("sendMessage", m -> m.chatId() == SUPPORTER_ID && m.text().equals("Breakfast at 8"));
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().contains("shuttle")));
        }

        @Test
        void aScheduledMessageWhoseStartComesAfterItsExpiryEndsWithEveryRecipientsMessageExpired() {
            ApiClient.Answer scheduled = send("x-3", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Doors open\", "
                    + "\"send_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\", "
                    + "\"expires_at\": \"" + clock.instant().plus(Duration.ofHours(2)) + "\"}");
            assertEquals(202, scheduled.status(), scheduled.body());
            String location = scheduled.header("Location").orElseThrow();

            // The bot was down over both times: the next settling round finds it late and expired.
            clock.advance(Duration.ofHours(3));
            // As when it expires once started: done, not "cancelled", which says its sender cancelled it.
            JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("counts").path("cancelled").asInt(), done.toString());
            assertFalse(done.path("finished_at").isNull(), done.toString());
            JsonNode delivery = getOnceAllowed(location + "/deliveries").json().path("items").path(0);
            assertEquals("expired before it could be sent", delivery.path("error").asText(), delivery.toString());
            ApiClient.Answer tooLate = deleteOnceAllowed(location);
            assertEquals(409, tooLate.status());
            assertEquals("urn:forum-gateway:problem:conflict", tooLate.json().path("type").asText());
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Doors open")));
        }
    }

    @Nested
    class Scheduling {
        @Test
        void aScheduledMessageGoesAtItsTime() {
            // Far enough ahead that the requests below are answered before it, on a busy machine too.
            String at = clock.instant().plusSeconds(5).toString();
            ApiClient.Answer accepted = send("s-1", "{\"to\": {\"external_id\": \"nobody\"}, \"text\": \"x\"}");
            assertEquals(422, accepted.status(), "an unlinked external id is refused");
            assertEquals(List.of("/to/external_id"), accepted.pointers());
            assertEquals("urn:forum-gateway:problem:recipient-unavailable", accepted.json().path("type").asText());

            ApiClient.Answer scheduled = send("s-2", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Reminder\", "
                    + "\"send_at\": \"" + at + "\"}");
            assertEquals(202, scheduled.status(), scheduled.body());
            assertEquals("scheduled", scheduled.json().path("status").asText());
            String location = scheduled.header("Location").orElseThrow();
            assertEquals("scheduled", client.get(location).json().path("status").asText());
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Reminder"));
            awaitMessage(location, m -> m.path("status").asText().equals("done"));
        }

        @Test
        void aScheduledMessageWhoseStartFailedIsStartedByTheNextRound() {
            String at = clock.instant().plus(Duration.ofHours(1)).toString();
            ApiClient.Answer scheduled = send("s-lost", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Bus at 9\", "
                    + "\"send_at\": \"" + at + "\"}");
            String location = scheduled.header("Location").orElseThrow();
            // As a trigger that fired a minute ago and failed leaves it: scheduled, its time passed.
            bot.database().jdbi().useHandle(handle -> handle.execute("UPDATE api_messages SET send_at = ?",
                    clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli()));
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Bus at 9"));
            awaitMessage(location, m -> m.path("status").asText().equals("done"));
        }

        @Test
        void aScheduledMessageToSomeoneWhoBlockedTheBotSinceIsCountedAsBlocked() {
            ApiClient.Answer scheduled = send("s-blocked", "{\"to\": {\"telegram_id\": 7201}, "
                    + "\"text\": \"Visa desk hours\", \"send_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
            assertEquals(202, scheduled.status(), scheduled.body());
            String location = scheduled.header("Location").orElseThrow();
            api.blockBot(KZ_DELEGATE);
            Eventually.await("the block recorded", () -> bot.database().jdbi().withHandle(handle -> handle
                    .createQuery("SELECT status FROM users WHERE telegram_id = 7201").mapTo(String.class).one())
                    .equals("blocked"));

            // Its time comes (as for a trigger that was missed: the next round starts it).
            bot.database().jdbi().useHandle(handle -> handle.execute("UPDATE api_messages SET send_at = ?",
                    clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli()));
            JsonNode done = awaitMessage(location, m -> m.path("status").asText().equals("done"));
            assertEquals(1, done.path("recipients").asInt(), done.toString());
            assertEquals(1, done.path("counts").path("blocked").asInt(), done.toString());
            assertEquals(0, done.path("counts").path("sent").asInt(), done.toString());
            ApiClient.Answer deliveries = getOnceAllowed(location + "/deliveries");
            JsonNode delivery = deliveries.json().path("items").path(0);
            assertEquals("blocked", delivery.path("status").asText(), deliveries.body());
            assertEquals(7201, delivery.path("telegram_id").asLong());
            assertEquals(7201, delivery.path("chat_id").asLong(), "a person's own chat");
            assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Visa desk hours")),
                    "nothing was sent to someone who blocked the bot");
        }

        @Test
        void aSendAtMomentsAgoByASlowClockMeansNowAndMinutesAgoIsRefused() {
            String secondsAgo = clock.instant().minusSeconds(30).toString();
            ApiClient.Answer now = send("skew", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Doors open\", "
                    + "\"send_at\": \"" + secondsAgo + "\"}");
            assertEquals(202, now.status(), now.body());
            assertEquals("queued", now.json().path("status").asText());
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Doors open"));
            String minutesAgo = clock.instant().minus(Duration.ofMinutes(2)).toString();
            ApiClient.Answer late = send("late", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", "
                    + "\"send_at\": \"" + minutesAgo + "\"}");
            assertEquals(400, late.status(), late.body());
            assertEquals(List.of("/send_at"), late.pointers());
        }

        @Test
        void aScheduledMessageCanBeCancelledOnce() {
            String at = clock.instant().plus(Duration.ofHours(1)).toString();
            ApiClient.Answer scheduled = send("s-3", "{\"to\": {\"audience\": \"all\"}, \"text\": \"Later\", "
                    + "\"send_at\": \"" + at + "\"}");
            String location = scheduled.header("Location").orElseThrow();
            ApiClient.Answer cancelled = client.delete(location);
            assertEquals(200, cancelled.status());
            assertEquals("cancelled", cancelled.json().path("status").asText());
            assertEquals(3, cancelled.json().path("counts").path("cancelled").asInt());
            ApiClient.Answer again = client.delete(location);
            assertEquals(409, again.status());
            assertTrue(again.contentType().startsWith("application/problem+json"));
            assertEquals(404, client.delete("/v1/messages/999999").status());
        }

        @Test
        void anotherSystemSeesItsOwnMessagesInListsAndCannotReadOrCancelOurs() {
            String at = clock.instant().plus(Duration.ofHours(1)).toString();
            String body = "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Later\", \"reference\": \"17\", "
                    + "\"send_at\": \"" + at + "\"}";
            String location = send("ours", body).header("Location").orElseThrow();
            ApiClient website = new ApiClient(bot.httpPort().orElseThrow(),
                    Optional.of(createKeyInChat("website", "send read")));
            ApiClient.Answer theirs = website.post("/v1/messages", "theirs", body);
            assertEquals(202, theirs.status(), theirs.body());

            ApiClient.Answer refused = website.delete(location);
            assertEquals(404, refused.status(), "not theirs to cancel, nor to learn it exists: " + refused.body());
            assertTrue(refused.contentType().startsWith("application/problem+json"));
            assertEquals(404, website.get(location).status(), "not theirs to read");
            assertEquals(404, website.get(location + "/deliveries").status(), "nor who it went to");
            assertEquals("scheduled", client.get(location).json().path("status").asText());
            JsonNode listed = website.get("/v1/messages?reference=17").json();
            assertEquals(1, listed.path("items").size(), listed.toString());
            assertEquals(theirs.json().path("id").asLong(), listed.path("items").path(0).path("id").asLong());
            assertEquals(200, website.delete(theirs.header("Location").orElseThrow()).status());
        }
    }

    @Nested
    class Idempotency {
        private static final String BODY = "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Once\"}";

        @Test
        void theSameKeyAndBodyAnswerTheFirstAnswerAndSendNothingMore() {
            ApiClient.Answer first = send("same", BODY);
            ApiClient.Answer again = send("same", "{ \"text\": \"Once\",\n \"to\": {\"telegram_id\": 7201} }");
            assertEquals(202, again.status());
            assertEquals(first.json(), again.json());
            assertEquals(first.header("Location"), again.header("Location"));
            assertEquals("true", again.header("Idempotent-Replayed").orElseThrow());
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Once"));
            assertEquals(1, count("api_messages"));
            assertEquals(1, outboxRowsOfApiMessages());
        }

        @Test
        void aRetryIsAnsweredAsTheFirstEvenWhenItsRecipientBlockedTheBotSince() {
            ApiClient.Answer first = send("before-blocking", BODY);
            api.await("sendMessage", m -> m.chatId() == KZ && m.text().equals("Once"));
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE users SET status = 'blocked' WHERE telegram_id = 7201"));
            ApiClient.Answer again = send("before-blocking", BODY);
            assertEquals(202, again.status(), again.body());
            assertEquals(first.json(), again.json());
            ApiClient.Answer fresh = send("after-blocking", BODY);
            assertEquals(422, fresh.status(), "a new request to them is refused: " + fresh.body());
            assertEquals(1, count("api_messages"));
        }

        @Test
        void aRetryIsAnsweredAsTheFirstEvenWhenItsSendAtHasPassedSince() {
            String scheduled = "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Later\", "
                    + "\"send_at\": \"2026-12-01T12:00:00+09:00\"}";
            ApiClient.Answer first = send("scheduled-once", scheduled);
            assertEquals(202, first.status(), first.body());
            clock.advance(java.time.Duration.ofHours(4));

            ApiClient.Answer again = send("scheduled-once", scheduled);
            assertEquals(202, again.status(), again.body());
            assertEquals(first.json(), again.json());
            ApiClient.Answer fresh = send("scheduled-new", scheduled);
            assertEquals(400, fresh.status(), "a new request for a past time is refused: " + fresh.body());
            assertTrue(fresh.pointers().contains("/send_at"), fresh.body());
            assertEquals(1, count("api_messages"));
        }

        @Test
        void theSameKeyWithAnotherBodyIs422() {
            send("same", BODY);
            ApiClient.Answer other = send("same", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Twice\"}");
            assertEquals(422, other.status());
            assertEquals(Problem.IDEMPOTENCY_MISMATCH, other.json().path("type").asText());
            assertEquals(1, count("api_messages"));
        }

        @Test
        void aKeyWhoseFirstRequestIsStillBeingHandledIs409() {
            // The claim a first request holds while it resolves its audience, as the store records it.
            IdempotencyStore store = new IdempotencyStore(bot.database().jdbi(), clock);
            assertTrue(store.claim("registration", "busy", "hash-of-the-first-body")
                    instanceof IdempotencyStore.Claim.Claimed);
            ApiClient.Answer second = send("busy", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Twice\"}");
            assertEquals(422, second.status(), "another body is a mismatch even while in progress");
            store.release("registration", "busy");
            store.claim("registration", "busy", sha(BODY));
            ApiClient.Answer concurrent = send("busy", BODY);
            assertEquals(409, concurrent.status(), concurrent.body());
            assertEquals(0, count("api_messages"));
        }

        @Test
        void withoutAKeyIs400NamingTheHeader() {
            ApiClient.Answer missing = client.post("/v1/messages", BODY);
            assertEquals(400, missing.status());
            assertTrue(missing.json().path("detail").asText().contains("Idempotency-Key"));
            assertEquals("Idempotency-Key", missing.json().path("errors").path(0).path("header").asText(),
                    missing.body());
        }

        private String sha(String body) {
            try {
                Object value = new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                        .readValue(body, Object.class);
                String canonical = new com.fasterxml.jackson.databind.ObjectMapper()
                        .enable(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                        .writeValueAsString(value);
                return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                        .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
    }

    @Nested
    class BadInputNamesTheFieldAndQueuesNothing {
        private void refused(String body, String pointer) {
            ApiClient.Answer answer = send("bad-" + body.hashCode(), body);
            assertEquals(400, answer.status(), body + " -> " + answer.body());
            assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            assertTrue(answer.pointers().contains(pointer), body + " -> " + answer.body());
            assertTrue(answer.json().path("type").asText().startsWith("urn:"));
            assertEquals(400, answer.json().path("status").asInt());
        }

        @Test
        void everyKindOfBadBody() {
            refused("{\"to\": ", "");
            refused("[1, 2]", "");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"colour\": \"red\"}", "/colour");
            refused("{\"to\": {\"telegram_id\": \"7201\"}, \"text\": \"x\"}", "/to/telegram_id");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"urgent\": \"yes\"}", "/urgent");
            refused("{\"to\": {\"telegram_id\": 7201, \"chat_id\": -100}, \"text\": \"x\"}", "/to");
            refused("{\"to\": {\"audience\": \"ministers\"}, \"text\": \"x\"}", "/to/audience");
            refused("{\"to\": {\"audience\": \"event:nope\"}, \"text\": \"x\"}", "/to/audience");
            // A typo in a country or a language would reach nobody: refused, not accepted with 0 recipients.
            refused("{\"to\": {\"audience\": \"delegates country:KS\"}, \"text\": \"x\"}", "/to/audience");
            refused("{\"to\": {\"audience\": \"lang:fr\"}, \"text\": \"x\"}", "/to/audience");
            refused("{\"to\": {\"audience\": \"" + "event:plenary,".repeat(40) + "\"}, \"text\": \"x\"}",
                    "/to/audience");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"<b>unclosed\"}", "/text");
            refused("{\"to\": {\"telegram_id\": 7201}, \"texts\": {\"ru\": \"<script>x</script>\"}}", "/texts/ru");
            refused("{\"to\": {\"telegram_id\": 7201}}", "/text");
            refused("{\"to\": {\"telegram_id\": 7201}, \"texts\": {\"en\": null}}", "/texts/en");
            // kz is Kazakhstan's country code; the language is kk. Every reader's language is one the bot speaks.
            refused("{\"to\": {\"telegram_id\": 7201}, \"texts\": {\"en\": \"x\", \"kz\": \"y\"}}", "/texts/kz");
            refused(ApiClient.json(Map.of("to", Map.of("telegram_id", 7201), "text", "word ".repeat(9_000))), "/text");
            // Links nested thousands deep fill a body and would cost seconds to check: refused at the second.
            refused(ApiClient.json(Map.of("to", Map.of("telegram_id", 7201),
                    "text", "<a>".repeat(30_000) + "x" + "</a>".repeat(30_000))), "/text");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"send_at\": \"2026-11-30T10:00:00+09:00\"}",
                    "/send_at");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"send_at\": \"2026-12-02T10:00:00\"}",
                    "/send_at");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"expires_at\": \"2026-11-30T10:00:00+09:00\"}",
                    "/expires_at");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"expires_at\": \"2026-12-02T10:00:00\"}",
                    "/expires_at");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"send_at\": \"2026-12-02T10:00:00+09:00\", "
                    + "\"expires_at\": \"2026-12-02T09:59:00+09:00\"}", "/expires_at");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", "
                    + "\"buttons\": [{\"text\": \"Go\", \"url\": \"javascript:alert(1)\"}]}", "/buttons/0/url");
            refused("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", \"to\": {\"chat_id\": -1}}", "");

            // A long array is one error, its items unread; thousands of bad fields are an answer of 50 errors.
            ApiClient.Answer manyButtons = send("many-buttons", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\", "
                    + "\"buttons\": [" + String.join(",", java.util.Collections.nCopies(20_000, "{}")) + "]}");
            assertEquals(List.of("/buttons"), manyButtons.pointers(), manyButtons.body());
            StringBuilder unknown = new StringBuilder("{\"to\": {\"telegram_id\": 7201}, \"text\": \"x\"");
            for (int i = 0; i < 3_000; i++) {
                unknown.append(", \"f").append(i).append("\": 0");
            }
            ApiClient.Answer manyFields = send("many-fields", unknown.append('}').toString());
            assertEquals(Problem.MAX_LISTED_ERRORS, manyFields.pointers().size());
            assertTrue(manyFields.json().path("detail").asText().startsWith("3000 fields are invalid"),
                    manyFields.body());

            ApiClient.Answer several = send("several", "{\"to\": {}, \"text\": 5, \"silent\": 1}");
            assertTrue(several.pointers().containsAll(List.of("/to", "/text", "/silent")), several.body());

            ApiClient.Answer huge = send("huge", "{\"to\": {\"telegram_id\": 7201}, \"text\": \""
                    + "x".repeat(300 * 1024) + "\"}");
            assertEquals(413, huge.status());
            assertTrue(huge.contentType().startsWith("application/problem+json"));

            assertEquals(0, count("api_messages"));
            assertEquals(0, outboxRowsOfApiMessages());
            assertEquals(0, count("api_idempotency"));
        }
    }

    @Nested
    class QueryParametersAndMediaType {
        private static final String BODY = "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Once\"}";

        @Test
        void aQueryParameterAPathDoesNotTakeIsRefusedByNameAndAMisspeltDryRunSendsNothing() {
            ApiClient.Answer misspelt = client.post("/v1/messages?dryrun=true", "misspelt", BODY);
            assertEquals(400, misspelt.status(), misspelt.body());
            assertEquals(List.of("dryrun"), misspelt.parameters(), misspelt.body());
            assertTrue(misspelt.json().path("detail").asText().contains("dry_run"), misspelt.body());
            assertEquals(0, count("api_messages"));
            assertEquals(0, count("api_idempotency"));

            assertEquals(List.of("state"), client.get("/v1/messages?state=done").parameters());
            assertEquals(List.of("status"), client.get("/v1/messages?status=done&status=sending").parameters());
            assertEquals(List.of("status"), client.get("/v1/messages?status=lost").parameters());
            assertEquals(List.of("limit"), client.get("/v1/messages?limit=0").parameters());
            assertEquals(List.of("verbose"), client.get("/v1/events?verbose=1").parameters());
            ApiClient.Answer two = client.get("/v1/events/plenary/rsvps?page=2&sort=name");
            assertEquals(400, two.status());
            assertEquals(List.of("page", "sort"), two.parameters(), two.body());
            assertEquals(200, client.get("/v1/messages?status=done&limit=5").status());
        }

        @Test
        void aCursorFromAnotherMessagesDeliveriesIsRefusedNotFollowed() {
            String first = send("c-1", "{\"to\": {\"audience\": \"all\"}, \"text\": \"One\"}")
                    .header("Location").orElseThrow();
            String second = send("c-2", "{\"to\": {\"audience\": \"all\"}, \"text\": \"Two\"}")
                    .header("Location").orElseThrow();
            String cursor = client.get(first + "/deliveries?limit=1").json().path("next_cursor").asText();
            assertFalse(cursor.isEmpty());

            assertEquals(200, client.get(first + "/deliveries?limit=1&cursor=" + cursor).status());
            ApiClient.Answer other = client.get(second + "/deliveries?limit=1&cursor=" + cursor);
            assertEquals(400, other.status(), "another message's positions are other people: " + other.body());
            assertEquals(List.of("cursor"), other.parameters());
        }

        @Test
        void aBodyNotSentAsJsonIs415AndQueuesNothing() {
            for (Optional<String> type : List.of(Optional.<String>empty(), Optional.of("text/plain"),
                    Optional.of("application/x-www-form-urlencoded"), Optional.of("application/json; charset=ISO-8859-1"))) {
                HttpRequest.Builder request = client.builder("/v1/messages").header("Idempotency-Key", "typed")
                        .POST(HttpRequest.BodyPublishers.ofString(BODY));
                type.ifPresent(value -> request.header("Content-Type", value));
                ApiClient.Answer answer = client.send(request);
                assertEquals(415, answer.status(), type + " -> " + answer.body());
                assertTrue(answer.contentType().startsWith("application/problem+json"), answer.contentType());
            }
            assertEquals(0, count("api_messages"));

            ApiClient.Answer utf8 = client.send(client.builder("/v1/messages").header("Idempotency-Key", "typed")
                    .header("Content-Type", "Application/JSON; charset=\"utf-8\"")
                    .POST(HttpRequest.BodyPublishers.ofString(BODY)));
            assertEquals(202, utf8.status(), utf8.body());
        }

        @Test
        void theOrderOfTextsIsPartOfTheBodyForRetriesAsItDecidesTheFallback() {
            String russianFirst = "{\"to\": {\"telegram_id\": 7201}, \"texts\": {\"ru\": \"Привет\", \"ko\": \"안녕\"}}";
            String koreanFirst = "{\"to\": {\"telegram_id\": 7201}, \"texts\": {\"ko\": \"안녕\", \"ru\": \"Привет\"}}";
            assertEquals(202, send("texts-order", russianFirst).status());
            assertEquals(202, send("texts-order", "{\"texts\": {\"ru\": \"Привет\", \"ko\": \"안녕\"}, "
                    + "\"to\": {\"telegram_id\": 7201}}").status(), "other members' order does not matter");
            ApiClient.Answer reordered = send("texts-order", koreanFirst);
            assertEquals(422, reordered.status(), reordered.body());
            assertEquals(1, count("api_messages"));
        }

        @Test
        void anIdempotencyKeyThatIsGivenButNotValidIsNamedSo() {
            ApiClient.Answer spaced = send("two words", BODY);
            assertEquals(400, spaced.status());
            assertTrue(spaced.json().path("detail").asText().contains("not valid"), spaced.body());
            assertEquals("Idempotency-Key", spaced.json().path("errors").path(0).path("header").asText());
        }
    }

    @Nested
    class Listing {
        @Test
        void messagesAreListedByReferenceAndStatusWithACursor() {
            for (int i = 0; i < 3; i++) {
                send("list-" + i, "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Batch " + i
                        + "\", \"reference\": \"batch-7\"}");
            }
            send("list-other", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Other\", \"reference\": \"other\"}");
            JsonNode first = client.get("/v1/messages?reference=batch-7&limit=2").json();
            assertEquals(2, first.path("items").size());
            assertFalse(first.path("next_cursor").isNull());
            JsonNode second = client.get("/v1/messages?reference=batch-7&limit=2&cursor="
                    + first.path("next_cursor").asText()).json();
            assertEquals(1, second.path("items").size());
            assertTrue(second.path("next_cursor").isNull());
            assertEquals("batch-7", second.path("items").path(0).path("reference").asText());
            assertEquals(400, client.get("/v1/messages?cursor=made-up").status());
            assertEquals(400, client.get("/v1/messages?status=lost").status());
            assertEquals(0, client.get("/v1/messages?status=cancelled").json().path("items").size());
        }

        @Test
        void aMessageSettledSinceTheLastRoundIsListedAsDone() {
            String location = send("settled", "{\"to\": {\"telegram_id\": 7201}, \"text\": \"Doors at 9\"}")
                    .header("Location").orElseThrow();
            awaitMessage(location, m -> m.path("status").asText().equals("done"));
            // As the message stands between its last row's answer and the next round: settled, stored as sending.
            bot.database().jdbi().useHandle(handle -> handle.execute(
                    "UPDATE api_messages SET status = 'sending', finished_at = NULL, completion_published = 0"));

            JsonNode done = getOnceAllowed("/v1/messages?status=done").json();
            assertEquals(1, done.path("items").size(), done.toString());
            assertEquals("done", done.path("items").path(0).path("status").asText());
            assertEquals(0, getOnceAllowed("/v1/messages?status=sending").json().path("items").size());
        }
    }
}
