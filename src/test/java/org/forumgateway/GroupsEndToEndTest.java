package org.forumgateway;

import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bot learns its groups from my_chat_member updates, announces to them and pins there, through the real wiring
 * (polling, SQLite, the outbox and the delivery engine) against the fake Bot API.
 */
class GroupsEndToEndTest {
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser DELEGATE = new FakeUser(7201, "Айгерим", "ru");
    /** Not staff; adds the bot to a group of their own; has never written to the bot. */
    private static final FakeUser GROUP_OWNER = new FakeUser(7301, "Owner", "en");
    private static final long DELEGATES_GROUP = -1_001_000_000_001L;
    private static final long SUPPORTERS_GROUP = -1_001_000_000_002L;

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private Application bot;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", Schedules.write(folder, Schedules.oneEvent("plenary", 50)).toString());
        bot = Application.start(TestSettings.config(environment, folder), clock);
        for (FakeUser user : List.of(ADMIN, DELEGATE)) {
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
        }
        bot.database().jdbi().useHandle(handle ->
                handle.execute("UPDATE users SET role = 'delegate', country = 'KZ' WHERE telegram_id = ?", DELEGATE.id()));
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    @Test
    void botAddedToAGroupGetsAnAnnouncementToGroupsAndPinsItThereAfterSendingIt() {
        awaitHandled(api.changeBotMembership(ADMIN, DELEGATES_GROUP, "Forum delegates", "left", "administrator",
                true));

        api.sendText(ADMIN, "/announce");
        press(api.awaitMessageTo(ADMIN, "New announcement"), "All confirmed groups");
        api.awaitMessageTo(ADMIN, "Audience: <b>Every confirmed group the bot is in</b>, 0 people and 1 group now.");
        api.sendTextWithEntity(ADMIN, "The plenary moved to Hall B.", "bold", 21, 6);
        press(api.awaitMessageTo(ADMIN, "Saved. Texts:"), "Preview ▶");
        RecordedRequest summary = previewSummary();
        assertTrue(summary.text().contains("Audience: Every confirmed group the bot is in\nRecipients: 1"), summary.text());
        assertTrue(summary.text().contains("Pin in the groups: no (groups in the audience: 1)"), summary.text());
        assertFalse(summary.text().contains("may not pin"), summary.text());
        pinAndSend(summary);

        RecordedRequest sent = api.await("sendMessage", message -> message.chatId() == DELEGATES_GROUP
                && message.text().equals("The plenary moved to <b>Hall B</b>."));
        RecordedRequest pin = api.await("pinChatMessage", request -> request.chatId() == DELEGATES_GROUP);
        assertTrue(pin.accepted(), pin.body().toString());
        assertEquals(sent.messageId(), pin.body().path("message_id").asInt(), "the announcement itself is pinned");
        assertTrue(pin.receivedAtNanos() > sent.receivedAtNanos(), "pinned once Telegram accepted it");

        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Delivered: 1 of 1"), report.text());
        assertTrue(report.text().contains("Pinned in groups: 1 of 1\nThe bot lacks the right to pin: 0"), report.text());
        assertTrue(api.messagesTo(DELEGATE).stream().noneMatch(message -> message.text().contains("Hall B")),
                "group terms alone reach groups only");
        assertEquals(1, count("SELECT count(*) FROM outbox WHERE method = 'pin' AND status = 'sent'"),
                "the pin went through the outbox");
    }

    @Test
    void aGroupWhereTheBotMayNotPinIsNamedBeforeSendingAndCountedAfterwards() {
        awaitHandled(api.changeBotMembership(ADMIN, DELEGATES_GROUP, "Forum delegates", "left", "administrator",
                true));
        awaitHandled(api.changeBotMembership(ADMIN, SUPPORTERS_GROUP, "Supporters & friends", "left", "member",
                false));

        api.sendText(ADMIN, "/announce delegates,groups Visa support: write to the secretariat.");
        RecordedRequest summary = previewSummary();
        assertTrue(summary.text().contains("Recipients: 3"), summary.text());
        assertTrue(summary.text().contains("(groups in the audience: 2)"), summary.text());
        assertTrue(summary.text().contains("The bot may not pin messages in 1 of these groups"), summary.text());
        assertTrue(summary.text().contains("Groups: Supporters &amp; friends."), "named, escaped: " + summary.text());
        pinAndSend(summary);

        api.awaitMessageTo(DELEGATE, "Visa support");
        RecordedRequest refused = api.await("pinChatMessage", request -> request.chatId() == SUPPORTERS_GROUP);
        assertEquals(400, refused.status());
        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Delivered: 3 of 3"), report.text());
        assertTrue(report.text().contains("Pinned in groups: 1 of 2\nThe bot lacks the right to pin: 1\n"
                + "Not pinned for another reason: 0"), report.text());
        assertTrue(api.requests("pinChatMessage").stream().anyMatch(request -> request.chatId() == DELEGATES_GROUP
                && request.accepted()));

        api.sendText(ADMIN, "/help");
        api.await("sendMessage", message -> message.chatId() == ADMIN.chatId() && message.text().contains("/about")
                && message.receivedAtNanos() > report.receivedAtNanos());
    }

    @Test
    void aGroupIsLeftOutOnceTheBotIsRemovedFromIt() {
        awaitHandled(api.changeBotMembership(ADMIN, DELEGATES_GROUP, "Forum delegates", "left", "administrator",
                true));
        awaitHandled(api.changeBotMembership(GROUP_OWNER, DELEGATES_GROUP, "Forum delegates", "administrator", "kicked",
                false));

        api.sendText(ADMIN, "/announce groups Anyone there?");
        api.awaitMessageTo(ADMIN, "Nobody is in that audience right now");
        api.sendText(ADMIN, "/announce group:" + DELEGATES_GROUP + " Anyone there?");
        api.awaitMessageTo(ADMIN, "The bot is not in the group " + DELEGATES_GROUP);
        awaitHandled(api.changeBotMembership(ADMIN, SUPPORTERS_GROUP, "Q&A", "left", "member", false));
        api.sendText(ADMIN, "/announce group:" + SUPPORTERS_GROUP + " Tea at four.");
        RecordedRequest one = previewSummary();
        // Escaped once: "Q&amp;amp;A" would show as "Q&amp;A" in the chat.
        assertTrue(one.text().contains("Audience: Group “Q&amp;A”\nRecipients: 1"), one.text());
        press(one, "Cancel");
        api.awaitMessageTo(ADMIN, "is cancelled");

        api.sendText(ADMIN, "/announce delegates,groups Shuttles leave at 9:00.");
        RecordedRequest summary = api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #") && message.text().contains("Delegates"));
        assertTrue(summary.text().contains("Recipients: 2"), summary.text());
        assertTrue(summary.text().contains("Pin in the groups: no (groups in the audience: 1)"), summary.text());
        press(summary, "Send now");
        api.awaitMessageTo(DELEGATE, "Shuttles leave at 9:00.");
        api.await("sendMessage", message -> message.chatId() == SUPPORTERS_GROUP
                && message.text().equals("Shuttles leave at 9:00."));
        api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(api.messagesToChat(DELEGATES_GROUP).isEmpty(), "nothing goes to a group the bot left");
    }

    @Test
    void aGroupSomeoneElseAddedTheBotToIsToldAndLeftOutOfEveryGroupUntilStaffConfirmIt() {
        awaitHandled(api.changeBotMembership(GROUP_OWNER, DELEGATES_GROUP, "Forum delegates", "left", "member", false));
        assertEquals(0, count("SELECT count(*) FROM users WHERE telegram_id = " + GROUP_OWNER.id()),
                "whoever added the bot is not recorded as a user");
        RecordedRequest notice = api.await("sendMessage", message -> message.chatId() == DELEGATES_GROUP);
        assertTrue(notice.text().contains("once a member of the Secretariat staff confirms it"), notice.text());
        // Made an administrator afterwards: the bot was in the group already, nothing is said again.
        awaitHandled(api.changeBotMembership(GROUP_OWNER, DELEGATES_GROUP, "Forum delegates", "member",
                "administrator", true));

        api.sendText(ADMIN, "/announce groups Anyone there?");
        api.awaitMessageTo(ADMIN, "Nobody is in that audience right now");
        // Named on its own, by staff who know it, it is reached.
        api.sendText(ADMIN, "/announce group:" + DELEGATES_GROUP + " Tea at four.");
        RecordedRequest named = previewSummary();
        assertTrue(named.text().contains("Recipients: 1"), named.text());
        press(named, "Cancel");
        api.awaitMessageTo(ADMIN, "is cancelled");

        api.sendGroupText(DELEGATE, DELEGATES_GROUP, "/about");
        api.awaitAll("sendMessage", message -> message.chatId() == DELEGATES_GROUP, 2);
        api.sendText(ADMIN, "/announce groups Anyone there?");
        api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().contains("Nobody is in that audience right now"), 2);

        api.sendGroupText(ADMIN, DELEGATES_GROUP, "/about");
        api.await("sendMessage", message -> message.chatId() == DELEGATES_GROUP
                && message.text().equals("This group is confirmed: the Secretariat's announcements to every group "
                + "will come here too."));
        api.sendText(ADMIN, "/announce groups Anyone there?");
        RecordedRequest summary = api.awaitAll("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #"), 2).get(1);
        assertTrue(summary.text().contains("Recipients: 1"), summary.text());
        assertEquals(1, api.messagesToChat(DELEGATES_GROUP).stream()
                .filter(message -> message.text().contains("confirms it")).count(), "told once");
    }

    @Test
    void aCommandInAGroupTheBotJoinedBeforeItKeptTheListRecordsTheGroupWithRightsUnknown() {
        api.sendGroupText(DELEGATE, -1_001_000_000_003L, "/help");
        api.await("sendMessage", message -> message.chatId() == -1_001_000_000_003L);
        assertEquals(1, count("SELECT count(*) FROM bot_groups WHERE chat_id = -1001000000003 AND member = 1 "
                + "AND can_pin IS NULL AND confirmed = 0"), "a delegate's command vouches for nothing");
    }

    /** Presses Pin in groups, waits for the summary redrawn with the choice, and sends from it. */
    private void pinAndSend(RecordedRequest summary) {
        press(summary, "Pin in groups");
        RecordedRequest redrawn = api.await("editMessageText", edit -> edit.messageId() == summary.messageId()
                && edit.text().contains("Pin in the groups: yes"));
        press(redrawn, "Send now");
    }

    private void awaitHandled(int updateId) {
        HandledUpdates.await(bot, updateId);
    }

    private int count(String sql) {
        return bot.database().jdbi().withHandle(handle -> handle.createQuery(sql).mapTo(Integer.class).one());
    }

    private RecordedRequest previewSummary() {
        return api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #"));
    }

    private void press(RecordedRequest message, String label) {
        api.pressButton(ADMIN, message.messageId(), message.button(label).callbackData());
    }
}
