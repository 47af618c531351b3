package org.forumgateway.api;

import com.fasterxml.jackson.databind.JsonNode;
import org.forumgateway.testing.ApiClient;
import org.forumgateway.testing.Eventually;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Linking people by another system's id, and reading the schedule, over HTTP against the real application. */
class PeopleEndToEndTest extends ApiEndToEndBase {
    private static final FakeUser NURLAN = new FakeUser(7301, "Нурлан", "ru");
    private static final FakeUser DILSHOD = new FakeUser(7302, "Dilshod", "en");

    @Test
    void aLinkedPersonGetsAMessageByExternalIdInTheirLanguageAndTheCallerWatchesItArrive() {
        assertFalse(client.get("/v1/people/reg-kz-17").json().path("linked").asBoolean());
        String payload = link("{\"external_id\": \"reg-kz-17\", \"role\": \"delegate\", \"country\": \"KZ\"}");
        api.sendText(NURLAN, "/start " + payload);
        api.awaitMessageTo(NURLAN, "связан с вашей регистрацией");

        JsonNode person = client.get("/v1/people/reg-kz-17").json();
        assertTrue(person.path("linked").asBoolean(), person.toString());
        assertEquals("ru", person.path("language").asText());
        assertEquals("Asia/Seoul", person.path("time_zone").asText());
        assertEquals("delegate", person.path("role").asText());
        assertFalse(person.path("blocked").asBoolean());

        ApiClient.Answer accepted = send("welcome-17", """
                {"to": {"external_id": "reg-kz-17"}, "texts": {"en": "Welcome to the forum.",
                 "ru": "Добро пожаловать на форум."}, "reference": "welcome"}""");
        assertEquals(202, accepted.status(), accepted.body());
        api.await("sendMessage", m -> m.chatId() == NURLAN.id() && m.text().equals("Добро пожаловать на форум."));
        String location = accepted.header("Location").orElseThrow();
        JsonNode status = awaitMessage(location, answer -> answer.path("status").asText().equals("done"));
        assertEquals(1, status.path("counts").path("sent").asInt());
        JsonNode delivery = getOnceAllowed(location + "/deliveries").json().path("items").path(0);
        assertEquals("reg-kz-17", delivery.path("external_id").asText());
        assertEquals(NURLAN.id(), delivery.path("telegram_id").asLong());
        assertEquals("sent", delivery.path("status").asText());
    }

    @Test
    void aLinksExpiryIsInMillisecondsLikeEveryOtherTime() {
        clock.set(java.time.Instant.parse("2026-12-01T00:00:00.123456789Z")); // the system clock has microseconds
        ApiClient.Answer created = client.post("/v1/links", "{\"external_id\": \"reg-kz-18\"}");
        assertEquals(201, created.status(), created.body());
        assertTrue(created.json().path("expires_at").asText()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3})?Z"), created.body());
    }

    @Test
    void linkingAgainMovesTheExternalIdAndNeverLowersARole() {
        api.sendText(DILSHOD, "/help");
        api.awaitMessageTo(DILSHOD, "/about");
        bot.database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE users SET role = 'delegate', country = 'UZ' WHERE telegram_id = ?", DILSHOD.id()));
        String first = link("{\"external_id\": \"reg-uz-3\", \"role\": \"supporter\", \"cohort\": 10}");
        api.sendText(DILSHOD, "/start " + first);
        api.awaitMessageTo(DILSHOD, "linked to your registration");
        JsonNode person = client.get("/v1/people/reg-uz-3").json();
        assertEquals("delegate", person.path("role").asText(), "a supporter link does not demote a delegate");
        // The system sent him a second link for the same id: it still works for him, and is no 'replacement'.
        api.sendText(DILSHOD, "/start " + link("{\"external_id\": \"reg-uz-3\"}"));
        Eventually.await("the second link answered", () -> api.messagesTo(DILSHOD).stream()
                .filter(message -> message.text().contains("linked to your registration")).count() == 2);

        String stale = link("{\"external_id\": \"reg-uz-3\"}");
        String again = link("{\"external_id\": \"reg-uz-3\"}");
        api.sendText(NURLAN, "/start " + again);
        api.awaitMessageTo(NURLAN, "связан");
        int linkedTo = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT user_id FROM external_ids WHERE external_id = 'reg-uz-3'").mapTo(Integer.class).one());
        assertEquals(NURLAN.id(), linkedTo);
        assertEquals(1, count("external_ids"));

        api.sendText(DILSHOD, "/start " + again);
        api.awaitMessageTo(DILSHOD, "already been used by someone else");
        // Links made before the id moved change nothing: his own used one, and one made earlier and never used.
        api.sendText(DILSHOD, "/start " + first);
        api.sendText(DILSHOD, "/start " + stale);
        Eventually.await("both answered", () -> api.messagesTo(DILSHOD).stream()
                .filter(message -> message.text().contains("replaced by a newer one")).count() == 2);
        long stillLinkedTo = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT user_id FROM external_ids WHERE external_id = 'reg-uz-3'").mapTo(Long.class).one());
        assertEquals(NURLAN.id(), stillLinkedTo);
        api.sendText(DILSHOD, "/start lnk-madeUpCode");
        api.awaitMessageTo(DILSHOD, "This link is not valid");
    }

    @Test
    void eachSystemKnowsThePersonByItsOwnIdAndLinkingAgainReplacesOnlyItsOwn() {
        api.sendText(DILSHOD, "/start " + link("{\"external_id\": \"reg-uz-5\"}"));
        api.awaitMessageTo(DILSHOD, "linked to your registration");
        ApiClient website = client.withKey(createKeyInChat("website", "send read links"));
        // The registration system's id is not the website's to link: that would take its messages over.
        ApiClient.Answer takeover = website.post("/v1/links", "{\"external_id\": \"reg-uz-5\"}");
        assertEquals(409, takeover.status(), takeover.body());
        assertEquals(List.of("/external_id"), takeover.pointers());
        ApiClient.Answer created = website.post("/v1/links", "{\"external_id\": \"web-77\"}");
        assertEquals(201, created.status(), created.body());
        api.sendText(DILSHOD, "/start " + created.json().path("url").asText().replaceFirst(".*\\?start=", ""));
        Eventually.await("the website's link used", () -> count("external_ids") == 2);

        assertTrue(client.get("/v1/people/reg-uz-5").json().path("linked").asBoolean(), "the first system's id stays");
        assertTrue(website.get("/v1/people/web-77").json().path("linked").asBoolean());
        for (ApiClient system : List.of(client, website)) {
            String id = system == client ? "reg-uz-5" : "web-77";
            ApiClient.Answer sent = system.post("/v1/messages", "to-" + id,
                    "{\"to\": {\"external_id\": \"" + id + "\"}, \"text\": \"Hello " + id + "\"}");
            assertEquals(202, sent.status(), sent.body());
            api.await("sendMessage", m -> m.chatId() == DILSHOD.id() && m.text().equals("Hello " + id));
            String deliveries = sent.header("Location").orElseThrow() + "/deliveries";
            assertEquals(id, system.get(deliveries).json().path("items").path(0).path("external_id").asText(),
                    "each system reads the person by its own id");
        }

        api.sendText(DILSHOD, "/start " + link("{\"external_id\": \"reg-uz-6\"}"));
        // Waited for in the database: asked every millisecond, the API would spend the key's rate.
        Eventually.await("the new registration id linked", () -> linked("reg-uz-6"));
        assertTrue(getOnceAllowed("/v1/people/reg-uz-6").json().path("linked").asBoolean());
        assertFalse(getOnceAllowed("/v1/people/reg-uz-5").json().path("linked").asBoolean(), "replaced by reg-uz-6");
        assertTrue(website.get("/v1/people/web-77").json().path("linked").asBoolean(), "the website's stays");
    }

    @Test
    void theSystemThatLinkedAPersonErasesThemAndOnlyIt() {
        api.sendText(DILSHOD, "/start " + link("{\"external_id\": \"reg-uz-9\", \"role\": \"delegate\", "
                + "\"country\": \"UZ\"}"));
        api.awaitMessageTo(DILSHOD, "linked to your registration");
        ApiClient website = client.withKey(createKeyInChat("website", "send read links"));
        ApiClient reader = client.withKey(createKeyInChat("reader", "read"));

        assertEquals(403, reader.delete("/v1/people/reg-uz-9").status(), "erasing needs the links scope");
        ApiClient.Answer notTheirs = website.delete("/v1/people/reg-uz-9");
        assertEquals(409, notTheirs.status(), notTheirs.body());
        assertEquals("application/problem+json", notTheirs.header("Content-Type").orElseThrow().split(";")[0]);
        assertEquals(404, client.delete("/v1/people/reg-uz-404").status());
        // A link from before keys were recorded belongs to no key: none may erase through it.
        bot.database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE external_ids SET key_name = NULL WHERE external_id = 'reg-uz-9'"));
        assertEquals(409, client.delete("/v1/people/reg-uz-9").status());
        bot.database().jdbi().useHandle(handle -> handle.execute(
                "UPDATE external_ids SET key_name = 'registration' WHERE external_id = 'reg-uz-9'"));

        ApiClient.Answer erased = client.delete("/v1/people/reg-uz-9");
        assertEquals(204, erased.status(), erased.body());
        assertFalse(client.get("/v1/people/reg-uz-9").json().path("linked").asBoolean());
        assertEquals(0, count("external_ids"));
        int rows = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM users WHERE telegram_id = :id").bind("id", DILSHOD.id())
                .mapTo(Integer.class).one());
        assertEquals(0, rows);
        assertEquals(404, client.delete("/v1/people/reg-uz-9").status(), "nothing left to erase");

        // An administrator linked by the same system is not erased: the configuration names them.
        api.sendText(ADMIN, "/start " + link("{\"external_id\": \"reg-admin\"}"));
        Eventually.await("the administrator linked", () -> linked("reg-admin"));
        assertEquals(409, deleteOnceAllowed("/v1/people/reg-admin").status());
        int audited = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM audit_log WHERE action = 'api.person.erase'").mapTo(Integer.class).one());
        assertEquals(1, audited);
    }

    @Test
    void aMessageScheduledForSomeoneErasedBeforeItsTimeEndsDoneWithNobodyToSendTo() {
        api.sendText(DILSHOD, "/start " + link("{\"external_id\": \"reg-uz-9\"}"));
        api.awaitMessageTo(DILSHOD, "linked to your registration");
        ApiClient.Answer scheduled = send("later-9", "{\"to\": {\"external_id\": \"reg-uz-9\"}, \"text\": "
                + "\"Visa desk\", \"send_at\": \"" + clock.instant().plus(Duration.ofHours(1)) + "\"}");
        assertEquals(202, scheduled.status(), scheduled.body());
        assertEquals(204, client.delete("/v1/people/reg-uz-9").status());

        // Its time comes (as for a trigger that was missed: the next round starts it).
        bot.database().jdbi().useHandle(handle -> handle.execute("UPDATE api_messages SET send_at = ?",
                clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli()));
        JsonNode done = awaitMessage(scheduled.header("Location").orElseThrow(),
                m -> m.path("status").asText().equals("done"));
        assertEquals(0, done.path("recipients").asInt(), done.toString());
        assertTrue(api.requests("sendMessage").stream().noneMatch(m -> m.text().equals("Visa desk")));
    }

    @Test
    void badLinkRequestsNameTheField() {
        ApiClient.Answer bad = client.post("/v1/links",
                "{\"external_id\": 5, \"role\": \"staff\", \"country\": \"FR\", \"cohort\": 99, \"x\": 1}");
        assertEquals(400, bad.status());
        assertTrue(bad.pointers().containsAll(List.of("/external_id", "/role", "/country", "/cohort", "/x")),
                bad.body());
        // Ids that could not be read back from GET /v1/people/{external_id}'s path are refused when linking.
        for (String unreachable : List.of("reg/kz/17", "50%", "a;b", "..")) {
            ApiClient.Answer refused = client.post("/v1/links", "{\"external_id\": \"" + unreachable + "\"}");
            assertEquals(400, refused.status(), unreachable + " -> " + refused.body());
            assertEquals(List.of("/external_id"), refused.pointers());
        }
        assertEquals(0, count("link_codes"));
        ApiClient.Answer spaced = client.post("/v1/links", "{\"external_id\": \"Айгерим 17\"}");
        assertEquals(201, spaced.status(), spaced.body());
        assertFalse(client.get("/v1/people/%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC%2017").json()
                .path("linked").asBoolean(), "an id with spaces and Cyrillic reads back from the path");
        assertEquals("Айгерим 17", client.get("/v1/people/%D0%90%D0%B9%D0%B3%D0%B5%D1%80%D0%B8%D0%BC%2017").json()
                .path("external_id").asText());
    }

    @Test
    void pagingTheAnswersListsEachPersonOnceInTheOrderTheyFirstAnswered() throws IOException {
        stop();
        start(Map.of("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 1)).toString()));
        answer(ADMIN, "g");
        clock.advance(Duration.ofMinutes(1));
        answer(KZ_DELEGATE, "m");
        clock.advance(Duration.ofMinutes(1));
        answer(SUPPORTER, "m");

        JsonNode first = client.get("/v1/events/plenary/rsvps?limit=2").json();
        assertEquals(List.of("going", "maybe"), statuses(first), first.toString());
        assertEquals("KZ", first.path("items").path(1).path("country").asText());
        // The delegate on the first page asks for a seat: the event is full, so they join the waitlist, which gives
        // them a new place in its line, and not in this list.
        clock.advance(Duration.ofMinutes(1));
        answer(KZ_DELEGATE, "g");
        JsonNode second = client.get("/v1/events/plenary/rsvps?limit=2&cursor="
                + first.path("next_cursor").asText()).json();
        assertEquals(List.of("maybe"), statuses(second), second.toString());
        assertTrue(second.path("items").path(0).path("country").isNull(), "the supporter: " + second);
        assertTrue(second.path("next_cursor").isNull());
        assertEquals(400, client.get("/v1/events/plenary/rsvps?cursor=" + java.util.Base64.getUrlEncoder()
                .encodeToString("r/plenary:12:7201".getBytes(java.nio.charset.StandardCharsets.UTF_8))).status(),
                "a cursor of two parts, as earlier versions gave, is not one this list gives");
    }

    @Test
    void aFirstAnswerStoredAfterAPageWasReadComesOnTheNextPageWhateverItsTime() throws IOException {
        stop();
        start(Map.of("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 10)).toString()));
        clock.advance(Duration.ofMinutes(10));
        answer(ADMIN, "m");
        clock.advance(Duration.ofMinutes(1));
        answer(KZ_DELEGATE, "m");
        JsonNode first = client.get("/v1/events/plenary/rsvps?limit=1").json();
        assertEquals(ADMIN.id(), first.path("items").path(0).path("telegram_id").asLong(), first.toString());

        // An answer timed before the others (its time is read before it waits for its turn to write) is stored
        // after the page was read: paging by time would leave it behind the cursor.
        clock.advance(Duration.ofMinutes(-20));
        answer(SUPPORTER, "g");
        JsonNode second = client.get("/v1/events/plenary/rsvps?limit=5&cursor="
                + first.path("next_cursor").asText()).json();
        List<Long> people = new java.util.ArrayList<>();
        second.path("items").forEach(item -> people.add(item.path("telegram_id").asLong()));
        assertEquals(List.of(KZ_DELEGATE.id(), SUPPORTER.id()), people, second.toString());
    }

    /** Presses an answer on the event's card, as if the card were still open from before. */
    private void answer(FakeUser user, String choice) {
        api.assumeSent(user.chatId(), 1);
        HandledUpdates.await(bot, api.pressButton(user, 1, "rsvp:" + choice + ":plenary"));
    }

    private boolean linked(String externalId) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM external_ids WHERE external_id = :id").bind("id", externalId)
                .mapTo(Integer.class).one()) == 1;
    }

    private static List<String> statuses(JsonNode page) {
        List<String> statuses = new java.util.ArrayList<>();
        page.path("items").forEach(item -> statuses.add(item.path("status").asText()));
        return statuses;
    }

    @Test
    void eventsAndTheirAnswersWithExternalIdsWhenLinked() {
        String payload = link("{\"external_id\": \"reg-uz-9\"}");
        api.sendText(DILSHOD, "/start " + payload);
        api.awaitMessageTo(DILSHOD, "linked to your registration");
        api.sendText(DILSHOD, "/event plenary");
        RecordedRequest card = api.await("sendMessage", m -> m.chatId() == DILSHOD.id() && !m.buttons().isEmpty()
                && m.buttons().stream().anyMatch(b -> b.text().equals("Attending")));
        api.pressButton(DILSHOD, card.messageId(), card.button("Attending").callbackData());
        api.await("answerCallbackQuery", answer -> true);

        JsonNode events = client.get("/v1/events").json().path("items");
        assertEquals("plenary", events.path(0).path("key").asText(), events.toString());
        assertTrue(events.path(0).path("starts_at").isTextual());
        assertEquals("Пленарное заседание", events.path(0).path("title").path("ru").asText());
        // The file gives the venue's name as one text: it reads back as the text for every language, not as JSON.
        assertEquals("Lotte Hotel Seoul", events.path(0).path("venue").path("*").asText(), events.toString());
        assertTrue(events.path(1).path("venue").isNull(), "the lunch has no venue: " + events);

        JsonNode rsvps = awaitJson("/v1/events/plenary/rsvps", page -> !page.path("items").isEmpty());
        JsonNode answer = rsvps.path("items").path(0);
        assertEquals("going", answer.path("status").asText(), rsvps.toString());
        assertEquals("reg-uz-9", answer.path("external_id").asText());
        assertTrue(answer.path("answered_at").isTextual());
        assertTrue(rsvps.path("next_cursor").isNull());
        assertEquals(404, client.get("/v1/events/nope/rsvps").status());
    }
}
