package org.forumgateway;

import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.HandledUpdates;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.RecordedRequest;
import org.forumgateway.testing.Schedules;
import org.forumgateway.testing.StaffMembers;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Staff announce to audiences through the real bot, the outbox and the delivery engine, against the fake Bot API. */
class AnnouncementsEndToEndTest {
    private static final FakeUser ADMIN = new FakeUser(9001, "Secretariat", "en");
    private static final FakeUser KZ_DELEGATE = new FakeUser(7201, "Айгерим", "ru");
    private static final FakeUser UZ_DELEGATE = new FakeUser(7202, "Dilshod", "en");
    private static final FakeUser SUPPORTER = new FakeUser(7203, "지수", "ko");
    private static final FakeUser GUEST = new FakeUser(7204, "Guest", "en");

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-12-01T00:00:00Z");
    private FakeTelegramApi api;
    private Application bot;
    private Path eventsFile;

    @BeforeEach
    void start() {
        api = FakeTelegramApi.start();
        eventsFile = Schedules.write(folder, Schedules.oneEvent("plenary", 50));
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("ADMIN_IDS", String.valueOf(ADMIN.id()));
        environment.put("EVENTS_FILE", eventsFile.toString());
        bot = Application.start(TestSettings.config(environment, folder), clock);
        for (FakeUser user : List.of(ADMIN, KZ_DELEGATE, UZ_DELEGATE, SUPPORTER, GUEST)) {
            api.sendText(user, "/help");
            api.awaitMessageTo(user, "/about");
        }
        bot.database().jdbi().useHandle(handle -> {
            handle.execute("UPDATE users SET role = 'delegate', country = 'KZ' WHERE telegram_id = ?", KZ_DELEGATE.id());
            handle.execute("UPDATE users SET role = 'delegate', country = 'UZ' WHERE telegram_id = ?", UZ_DELEGATE.id());
            handle.execute("UPDATE users SET role = 'supporter', cohort_number = 10 WHERE telegram_id = ?", SUPPORTER.id());
        });
    }

    @AfterEach
    void stop() {
        bot.close();
        api.close();
    }

    private RecordedRequest previewSummary() {
        return api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #"));
    }

    private void press(FakeUser user, RecordedRequest message, String label) {
        api.pressButton(user, message.messageId(), message.button(label).callbackData());
    }

    @Test
    void shortFormPreviewsThenSendsToTheAudienceAndReportsProgress() {
        api.sendText(ADMIN, "/announce delegates The <b>plenary</b> starts at 10:00.");
        RecordedRequest preview = api.awaitMessageTo(ADMIN, "The <b>plenary</b> starts at 10:00.");
        assertTrue(preview.text().equals("The <b>plenary</b> starts at 10:00."), "the preview is the message itself");
        RecordedRequest summary = previewSummary();
        assertTrue(summary.text().contains("Audience: Delegates\nRecipients: 2"), summary.text());
        press(ADMIN, summary, "Send now");

        api.awaitMessageTo(KZ_DELEGATE, "The <b>plenary</b> starts at 10:00.");
        api.awaitMessageTo(UZ_DELEGATE, "The <b>plenary</b> starts at 10:00.");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Delivered: 2 of 2"), report.text());
        api.await("editMessageText", edit -> edit.chatId() == ADMIN.chatId() && edit.text().contains("100%"));
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("plenary")));
        assertTrue(api.messagesTo(GUEST).stream().noneMatch(m -> m.text().contains("plenary")));

        api.sendText(ADMIN, "/announcements");
        RecordedRequest list = api.awaitMessageTo(ADMIN, "<b>Announcements</b>");
        assertTrue(list.text().contains("sent · Delegates") && list.text().contains("delivered 2 of 2"), list.text());
        int audited = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT count(*) FROM audit_log WHERE action = 'announcement.send' AND actor = :actor")
                .bind("actor", ADMIN.id()).mapTo(Integer.class).one());
        assertEquals(1, audited);
    }

    @Test
    void theAuthorsNameIsEscapedOnce() {
        FakeUser author = new FakeUser(7788, "Tom & Jerry", "en");
        StaffMembers.make(api, bot, author);
        api.sendText(author, "/announce delegates Shuttle buses leave at 9:00.");
        RecordedRequest summary = api.await("sendMessage", message -> message.chatId() == author.chatId()
                && message.text().startsWith("<b>Announcement #"));
        assertTrue(summary.text().contains("Written by Tom &amp; Jerry."), summary.text());
    }

    /** GUEST, made staff, writes a draft with {@code command}; returns its summary with the buttons. */
    private RecordedRequest draftOfAColleague(String command) {
        StaffMembers.make(api, bot, GUEST);
        api.sendText(GUEST, command);
        return api.await("sendMessage", message -> message.chatId() == GUEST.chatId()
                && message.text().startsWith("<b>Announcement #"));
    }

    @Test
    void draftsAreSharedButSayWhoWroteThemAndTheAuditNamesWhoPressed() {
        RecordedRequest summary = draftOfAColleague("/announce delegates Shuttle buses leave at 9:00.");
        assertTrue(summary.text().contains("Written by Guest."), summary.text());

        press(ADMIN, summary, "Send now"); // another staff member sends the draft
        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Written by Guest."), report.text());
        api.sendText(GUEST, "/announce staff Tea at four.");
        RecordedRequest second = api.await("sendMessage", message -> message.chatId() == GUEST.chatId()
                && message.text().contains("<b>Announcement #") && message.text().contains("Audience: Staff"));
        press(ADMIN, second, "Cancel");
        api.awaitMessageTo(ADMIN, "is cancelled");

        List<String> audit = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT action || ' by ' || actor || ': ' || detail FROM audit_log "
                                + "WHERE action IN ('announcement.send', 'announcement.cancel') ORDER BY id")
                .mapTo(String.class).list());
        assertEquals(2, audit.size(), audit.toString());
        assertTrue(audit.get(0).startsWith("announcement.send by " + ADMIN.id() + ": ")
                && audit.get(0).endsWith("written by " + GUEST.id()), audit.toString());
        assertTrue(audit.get(1).startsWith("announcement.cancel by " + ADMIN.id() + ": ")
                && audit.get(1).endsWith("written by " + GUEST.id()), audit.toString());
    }

    @Test
    void aScheduledDraftOfAColleagueGoesOutInTheNameOfWhoScheduledIt() {
        RecordedRequest summary = draftOfAColleague("/announce supporters Culture day tomorrow!");

        press(ADMIN, summary, "Schedule"); // another staff member schedules the draft
        api.awaitMessageTo(ADMIN, "send the date and time");
        // 09:00 in Seoul is five seconds from now: set, not moved, since the clock has run since the test began.
        clock.set(Instant.parse("2026-11-30T23:59:55Z"));
        api.sendText(ADMIN, "2026-12-01 09:00");
        api.awaitMessageTo(ADMIN, "is scheduled for");
        api.awaitMessageTo(SUPPORTER, "Culture day tomorrow!");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Written by Guest."), report.text());

        assertTrue(api.messagesTo(GUEST).stream().noneMatch(m -> m.text().contains("done</b>")),
                "the report goes to who scheduled it");
        assertEquals(List.of("announcement.schedule by " + ADMIN.id(), "announcement.send by " + ADMIN.id()),
                bot.database().jdbi().withHandle(handle -> handle.createQuery("""
                                SELECT action || ' by ' || actor FROM audit_log
                                WHERE action IN ('announcement.schedule', 'announcement.send') ORDER BY id""")
                        .mapTo(String.class).list()));
    }

    @Test
    void schedulingSaysHowManyRecipientsWillBeInTheirQuietHours() {
        api.sendText(SUPPORTER, "/timezone Asia/Tashkent");
        api.awaitMessageTo(SUPPORTER, "시간대가 <b>타슈켄트</b>");
        api.sendText(ADMIN, "/announce supporters Culture day tomorrow!");
        press(ADMIN, previewSummary(), "Schedule");
        api.awaitMessageTo(ADMIN, "send the date and time");
        api.sendText(ADMIN, "2026-12-02 09:00"); // 05:00 in Tashkent
        api.awaitMessageTo(ADMIN, "is scheduled for");
        api.awaitMessageTo(ADMIN, "In their quiet hours at that time: 1 of 1 recipients.");

        api.sendText(ADMIN, "/announce supporters Culture day, urgent");
        RecordedRequest second = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                && m.text().startsWith("<b>Announcement #2</b>"));
        press(ADMIN, second, "Schedule");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("send the date and time"), 2);
        api.sendText(ADMIN, "2026-12-02 09:00!");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("is scheduled for"), 2);
        api.sendText(ADMIN, "/help"); // handled after the scheduling: a note on quiet hours would be queued by now
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("Available commands"), 2);
        assertEquals(1, api.messagesTo(ADMIN).stream().filter(m -> m.text().contains("In their quiet hours")).count(),
                "not for the urgent one");
    }

    @Test
    void theButtonsOfAnOlderPreviewSayTheAnnouncementIsScheduled() {
        api.sendText(ADMIN, "/announce supporters Culture day tomorrow!");
        RecordedRequest summary = previewSummary();
        press(ADMIN, summary, "Schedule");
        api.awaitMessageTo(ADMIN, "send the date and time");
        api.sendText(ADMIN, "2026-12-02 09:00");
        api.awaitMessageTo(ADMIN, "is scheduled for");
        press(ADMIN, summary, "Schedule");
        RecordedRequest answer = api.await("answerCallbackQuery", reply -> reply.body().path("text").asText()
                .contains("already"));
        assertEquals("Announcement #1 is already scheduled. /announcements lists it and can cancel it.",
                answer.body().path("text").asText());
    }

    @Test
    void aScheduledAnnouncementWhoseStartFailedIsStartedByTheNextRound() {
        api.sendText(ADMIN, "/announce supporters Culture day tomorrow!");
        previewSummary();
        // As a trigger that fired at 08:59 and failed leaves it: scheduled, its time passed, no trigger left.
        bot.database().jdbi().useHandle(handle -> handle.execute("""
                UPDATE announcements SET status = 'scheduled', scheduled_at = ?, scheduled_by = ?""",
                clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli(), ADMIN.id()));
        api.awaitMessageTo(SUPPORTER, "Culture day tomorrow!");
        api.awaitMessageTo(ADMIN, "done</b>");
    }

    @Test
    void aScheduledAnnouncementHeldByQuietHoursSaysSoInItsProgress() {
        api.sendText(SUPPORTER, "/timezone Asia/Tashkent"); // 09:00 in Seoul is 05:00 there: quiet until 08:00
        api.awaitMessageTo(SUPPORTER, "시간대가 <b>타슈켄트</b>");
        api.sendText(ADMIN, "/announce supporters Culture day tomorrow!");
        previewSummary();
        // Scheduled for a minute ago, as a start that failed leaves it: the next round starts it, quiet hours kept.
        bot.database().jdbi().useHandle(handle -> handle.execute("""
                UPDATE announcements SET status = 'scheduled', scheduled_at = ?, scheduled_by = ?""",
                clock.instant().minus(Duration.ofMinutes(1)).toEpochMilli(), ADMIN.id()));
        RecordedRequest progress = api.await("editMessageText", edit -> edit.chatId() == ADMIN.chatId()
                && edit.text().contains("Held for recipients' quiet hours: 1"));
        assertTrue(progress.text().contains("the last until Tuesday, December 1, 12:00 (Seoul)"), progress.text());
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("Culture day")));
    }

    @Test
    void cancellingAnotherDraftFromAnOlderMessageDoesNotStrandTheOneBeingWritten() {
        api.sendText(ADMIN, "/announce delegates Shuttle buses leave at 9:00.");
        RecordedRequest older = api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                && message.text().startsWith("<b>Announcement #1"));
        api.sendText(ADMIN, "/announce");
        press(ADMIN, api.awaitMessageTo(ADMIN, "New announcement"), "Delegates");
        api.awaitMessageTo(ADMIN, "Audience: <b>Delegates</b>, 2 people now.");

        press(ADMIN, older, "Cancel");
        api.awaitMessageTo(ADMIN, "is cancelled");
        api.sendText(ADMIN, "Visa support: write to the secretariat.");
        api.awaitMessageTo(ADMIN, "Saved. Texts: Your first text");
    }

    @Test
    void guidedFlowWithATranslationGivesEachRecipientTheirLanguage() {
        api.sendText(ADMIN, "/announce");
        RecordedRequest audience = api.awaitMessageTo(ADMIN, "New announcement");
        press(ADMIN, audience, "Delegates");
        api.awaitMessageTo(ADMIN, "Audience: <b>Delegates</b>, 2 people now.");
        api.sendText(ADMIN, "Visa support: write to the secretariat.");
        RecordedRequest languages = api.awaitMessageTo(ADMIN, "Saved. Texts: Your first text (sent to everyone who has no text in their own language).");
        press(ADMIN, languages, "Русский");
        api.awaitMessageTo(ADMIN, "Send the text in Русский.");
        api.sendText(ADMIN, "Визовая поддержка: пишите в Секретариат.");
        RecordedRequest more = api.awaitMessageTo(ADMIN, "Texts: Your first text (sent to everyone who has no text in their own language), Русский.");
        press(ADMIN, more, "Preview");
        press(ADMIN, previewSummary(), "Send now");

        api.awaitMessageTo(KZ_DELEGATE, "Визовая поддержка: пишите в Секретариат.");
        api.awaitMessageTo(UZ_DELEGATE, "Visa support: write to the secretariat.");
    }

    @Nested
    class CombinedAudiences {
        @Test
        void differentKindsNarrowAndTheSameKindWidens() {
            api.sendText(ADMIN, "/announce delegates,country:KZ Only Kazakhstan");
            assertTrue(previewSummary().text().contains("Recipients: 1"));
            api.sendText(ADMIN, "/announce country:KZ,country:UZ,cohort:10 Wide");
            api.await("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("Recipients: 0")
                    || m.text().contains("Nobody is in that audience"));
        }

        @Test
        void languageAudience() {
            api.sendText(ADMIN, "/announce lang:ko 안내");
            RecordedRequest summary = previewSummary();
            assertTrue(summary.text().contains("Recipients: 1"), summary.text());
            press(ADMIN, summary, "Send now");
            api.awaitMessageTo(SUPPORTER, "안내");
        }
    }

    @Nested
    class BadInputIsExplained {
        @Test
        void brokenMarkup() {
            api.sendText(ADMIN, "/announce all <b>Unclosed");
            api.awaitMessageTo(ADMIN, "The text opens &lt;b&gt; and never closes it.");
            api.sendText(ADMIN, "/announce all <script>x</script>");
            api.awaitMessageTo(ADMIN, "The text has &lt;script&gt;, which Telegram does not allow.");
            api.sendText(ADMIN, "/announce all 1 < 2");
            api.awaitMessageTo(ADMIN, "The text has a bare “&lt;”");
            api.sendText(ADMIN, "/announce all <a href=\"javascript:alert(1)\">Register</a>");
            api.awaitMessageTo(ADMIN, "The link “javascript:alert(1)” would not open");
            api.sendText(ADMIN, "/announce all Pencil &#9999999;");
            api.awaitMessageTo(ADMIN, "Telegram does not read “&amp;#9999999;”");
        }

        @Test
        void markupTelegramAcceptsIsPreviewedAndTheFakeBotApiTakesIt() {
            String text = "<B>Upper-case</B> <span class='tg-spoiler'>spoiler</span> "
                    + "<tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji> 1 > 0 &amp; R&D\n"
                    + "<blockquote expandable>Long quotation</blockquote>";
            api.sendText(ADMIN, "/announce staff " + text);
            RecordedRequest preview = api.awaitMessageTo(ADMIN, "<B>Upper-case</B>");
            assertEquals(text, preview.text(), "the preview is the message itself");
            assertTrue(preview.accepted(), "the fake Bot API, like Telegram, takes it");
            previewSummary();
        }

        @Test
        void unknownOrEmptyAudienceAndEmptyText() {
            api.sendText(ADMIN, "/announce ministers Hello");
            api.awaitMessageTo(ADMIN, "“ministers” is not an audience");
            api.sendText(ADMIN, "/announce event:nope Hello");
            api.awaitMessageTo(ADMIN, "There is no event “nope”");
            api.sendText(ADMIN, "/announce event:plenary Hello");
            api.awaitMessageTo(ADMIN, "Nobody is in that audience right now");
        }

        @Test
        void anAudienceWithoutATextStartsTheGuidedFlowWithThatAudience() {
            api.sendText(ADMIN, "/announce delegates");
            api.awaitMessageTo(ADMIN, "Audience: <b>Delegates</b>");
            api.sendText(ADMIN, "Visa desk opens at 09:00.");
            RecordedRequest saved = api.awaitMessageTo(ADMIN, "Saved.");
            press(ADMIN, saved, "Preview");
            RecordedRequest summary = previewSummary();
            assertTrue(summary.text().contains("Audience: Delegates"));
            press(ADMIN, summary, "Send now");
            api.awaitMessageTo(KZ_DELEGATE, "Visa desk opens at 09:00.");

            // The preview button of the sent draft offers no second summary with its Send button.
            press(ADMIN, saved, "Preview");
            api.await("answerCallbackQuery", answer -> answer.body().path("text").asText()
                    .equals("Announcement #1 was already sent or cancelled."));
            assertEquals(1, api.messagesTo(ADMIN).stream().filter(m -> m.text().startsWith("<b>Announcement #1</b>\nAudience"))
                    .count());
        }

        @Test
        void anEventsAudienceSaysWhichAnswersInTheStaffMembersLanguage() {
            api.assumeSent(KZ_DELEGATE.chatId(), 1); // the card, open from before
            HandledUpdates.await(bot, api.pressButton(KZ_DELEGATE, 1, "rsvp:g:plenary"));
            api.sendText(ADMIN, "/announce event:plenary:going Hello");
            assertTrue(previewSummary().text().contains("Audience: Answered plenary (attending)"));
            api.sendText(ADMIN, "/announce event:plenary Hello");
            api.await("sendMessage", message -> message.chatId() == ADMIN.chatId()
                    && message.text().contains("Audience: Answered plenary (all but not attending)"));
        }

        @Test
        void nonStaffCannotAnnounceOrPressStaffButtons() {
            api.sendText(KZ_DELEGATE, "/announce all Hello");
            api.awaitMessageTo(KZ_DELEGATE, "Эта функция доступна только сотрудникам Секретариата.");
            api.sendText(ADMIN, "/announce all Hello");
            RecordedRequest summary = previewSummary();
            // A delegate replays the staff member's button: refused, nothing is sent.
            api.pressButton(KZ_DELEGATE, summary.messageId(), summary.button("Send now").callbackData());
            api.await("answerCallbackQuery", answer -> answer.body().path("text").asText()
                    .equals("Эта функция доступна только сотрудникам Секретариата."));
            assertTrue(api.messagesTo(GUEST).stream().noneMatch(m -> m.text().equals("Hello")));
        }

        @Test
        void aTimeInThePastAndNonsenseTimes() {
            api.sendText(ADMIN, "/announce all Hello");
            press(ADMIN, previewSummary(), "Schedule");
            api.awaitMessageTo(ADMIN, "send the date and time in Seoul time");
            api.sendText(ADMIN, "yesterday");
            api.awaitMessageTo(ADMIN, "Write it like <code>2026-12-01 10:00</code>.");
            api.sendText(ADMIN, "2026-11-30 09:00");
            api.awaitMessageTo(ADMIN, "That time has passed.");
        }
    }

    @Test
    void scheduledAnnouncementFiresAtItsTimeAndCanBeCancelledBefore() {
        api.sendText(ADMIN, "/announce supporters Culture day tomorrow!");
        press(ADMIN, previewSummary(), "Schedule");
        api.awaitMessageTo(ADMIN, "send the date and time");
        // 09:00 in Seoul is five seconds from now: set, not moved, since the clock has run since the test began.
        clock.set(Instant.parse("2026-11-30T23:59:55Z"));
        api.sendText(ADMIN, "2026-12-01 09:00");
        api.awaitMessageTo(ADMIN, "is scheduled for");
        api.awaitMessageTo(SUPPORTER, "Culture day tomorrow!");

        api.sendText(ADMIN, "/announce supporters Never sent");
        RecordedRequest second = api.await("sendMessage", m -> m.chatId() == ADMIN.chatId()
                && m.text().startsWith("<b>Announcement #2</b>"));
        press(ADMIN, second, "Schedule");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("send the date and time"), 2);
        api.sendText(ADMIN, "2026-12-01 09:01");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("is scheduled for"), 2);
        api.sendText(ADMIN, "/announcements");
        RecordedRequest list = api.awaitMessageTo(ADMIN, "scheduled ·");
        press(ADMIN, list, "Cancel");
        api.awaitMessageTo(ADMIN, "is cancelled.");
        RecordedRequest summary = api.requests("sendMessage").stream()
                .filter(m -> m.chatId() == ADMIN.chatId() && m.text().startsWith("<b>Announcement #")).toList().get(0);
        press(ADMIN, summary, "Cancel");
        api.awaitMessageTo(ADMIN, "has started sending and can no longer be cancelled");
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("Never sent")));

        press(ADMIN, list, "Cancel"); // again, as a colleague looking at the same list would
        api.await("answerCallbackQuery", answer -> answer.body().path("text").asText()
                .equals("Announcement #2 is cancelled."));
        api.sendText(ADMIN, "/announcements"); // answered after anything the press said in this chat
        api.awaitMessageTo(ADMIN, "#2 · cancelled");
        assertEquals(1, api.messagesTo(ADMIN).stream().filter(m -> m.text().contains("#2 is cancelled")).count(),
                "said once in the chat");
        assertEquals(0, api.messagesTo(ADMIN).stream()
                .filter(m -> m.text().contains("#2 has started sending")).count());
    }

    @Test
    void aScheduledAnnouncementWhoseTimePassedLongAgoIsNotSentButReturnedToWhoScheduledIt() {
        api.sendText(ADMIN, "/announce supporters Registration closes today at 18:00!");
        press(ADMIN, previewSummary(), "Schedule");
        api.awaitMessageTo(ADMIN, "send the date and time");
        api.sendText(ADMIN, "2026-12-01 10:00"); // an hour from the test clock's now
        api.awaitMessageTo(ADMIN, "is scheduled for");
        // The bot was not running from before 10:00 until 12:30 (or a backup from 09:00 was restored then): the
        // round that starts overdue announcements meets it two and a half hours late.
        clock.advance(Duration.ofMinutes(210));
        RecordedRequest missed = api.awaitMessageTo(ADMIN, "was to go out on");
        assertTrue(missed.text().startsWith("Announcement #1 was to go out on Tuesday, December 1, 10:00 (Seoul)"),
                missed.text());
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("Registration closes")),
                "nothing out of date went out");

        press(ADMIN, missed, "Preview ▶"); // staff look at it first
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId()
                && m.text().equals("Registration closes today at 18:00!"), 2);
        press(ADMIN, missed, "Send now"); // still true: send it
        api.awaitMessageTo(SUPPORTER, "Registration closes today at 18:00!");
        api.awaitMessageTo(ADMIN, "Announcement #1 done");
        assertEquals(1, api.messagesTo(ADMIN).stream().filter(m -> m.text().contains("was to go out on")).count());
    }

    @Test
    void aMissedAnnouncementOfSomeoneNoLongerStaffGoesToTheAdministrators() {
        api.sendText(ADMIN, "/staff add 7204");
        api.awaitMessageTo(ADMIN, "is now a member of the Secretariat staff.");
        api.sendText(GUEST, "/announce supporters Bus leaves at 08:00");
        RecordedRequest summary = api.await("sendMessage", m -> m.chatId() == GUEST.chatId()
                && m.text().startsWith("<b>Announcement #"));
        press(GUEST, summary, "Schedule");
        api.awaitMessageTo(GUEST, "send the date and time");
        api.sendText(GUEST, "2026-12-01 10:00");
        api.awaitMessageTo(GUEST, "is scheduled for");
        api.sendText(ADMIN, "/staff remove 7204");
        api.awaitMessageTo(ADMIN, "is no longer a member of the Secretariat staff.");

        clock.advance(Duration.ofMinutes(210));
        RecordedRequest missed = api.awaitMessageTo(ADMIN, "was to go out on");
        assertTrue(missed.text().startsWith("Announcement #1 "), missed.text());
        assertTrue(api.messagesTo(GUEST).stream().noneMatch(m -> m.text().contains("was to go out on")),
                "no longer staff: not theirs to decide");
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("Bus leaves")));
    }

    @Test
    void aScheduledAnnouncementStaysListedAndCancellableBehindTenNewerOnes() {
        api.sendText(ADMIN, "/announce supporters Culture day next week!");
        press(ADMIN, previewSummary(), "Schedule");
        api.awaitMessageTo(ADMIN, "send the date and time");
        api.sendText(ADMIN, "2026-12-05 09:00");
        api.awaitMessageTo(ADMIN, "is scheduled for");
        // Ten announcements written and cancelled since, as colleagues would: copies of the first one.
        bot.database().jdbi().useHandle(handle -> {
            String columns = handle.createQuery("""
                    SELECT group_concat(name) FROM pragma_table_info('announcements') WHERE name <> 'id'""")
                    .mapTo(String.class).one();
            for (int i = 0; i < 10; i++) {
                handle.execute("INSERT INTO announcements (" + columns + ") SELECT " + columns
                        + " FROM announcements WHERE id = 1");
            }
            handle.execute("UPDATE announcements SET status = 'cancelled' WHERE id > 1");
        });
        api.sendText(ADMIN, "/announcements");
        RecordedRequest list = api.awaitMessageTo(ADMIN, "#11 · cancelled");
        assertTrue(list.text().contains("#1 · scheduled"), list.text());
        assertEquals(List.of("Cancel #1"), list.buttons().stream().map(button -> button.text()).toList());

        api.sendText(ADMIN, "/announcements delete 1");
        RecordedRequest refused = api.awaitMessageTo(ADMIN, "Announcement #1 has not gone out");
        press(ADMIN, refused, "Cancel #1");
        api.awaitMessageTo(ADMIN, "Announcement #1 is cancelled.");
        assertTrue(api.messagesTo(SUPPORTER).stream().noneMatch(m -> m.text().contains("Culture day next week")));
    }

    @Test
    void aLongTextIsSplitAtParagraphs() {
        String paragraph = "Forum programme detail. ".repeat(60).strip();
        String text = String.join("\n\n", List.of(paragraph, paragraph, paragraph, paragraph));
        api.sendText(ADMIN, "/announce staff " + text);
        RecordedRequest summary = previewSummary();
        assertTrue(summary.text().contains("Messages per recipient: 2"), summary.text());
        press(ADMIN, summary, "Send now");
        RecordedRequest report = api.awaitMessageTo(ADMIN, "done</b>");
        assertTrue(report.text().contains("Delivered: 1 of 1"), "people, not messages: " + report.text());
        List<RecordedRequest> parts = api.messagesTo(ADMIN).stream()
                .filter(m -> m.text().startsWith("Forum programme detail.")).toList();
        assertEquals(4, parts.size(), "two in the preview, two delivered");
        assertTrue(parts.stream().allMatch(part -> part.text().length() <= 4096));
    }

    @Test
    void adminsGrantAndRevokeTheStaffRole() {
        api.sendText(UZ_DELEGATE, "/staff add 7204");
        api.awaitMessageTo(UZ_DELEGATE, "This function is available to administrators only.");
        api.sendText(ADMIN, "/staff add 7204");
        api.awaitMessageTo(ADMIN, "Guest (7204) is now a member of the Secretariat staff.");
        api.sendText(GUEST, "/announcements");
        api.awaitMessageTo(GUEST, "No announcements yet.");
        api.sendText(ADMIN, "/staff remove 7204");
        api.awaitMessageTo(ADMIN, "Guest (7204) is no longer a member of the Secretariat staff.");
        api.sendText(GUEST, "/announcements");
        api.awaitMessageTo(GUEST, "This function is available to Secretariat staff only.");
        List<String> actions = bot.database().jdbi().withHandle(handle -> handle.createQuery(
                "SELECT action FROM audit_log ORDER BY id").mapTo(String.class).list());
        assertEquals(List.of("staff.add", "staff.remove"), actions);
    }

    @Test
    void movingAnEventTellsEveryoneWhoAnswered() throws IOException {
        api.sendText(KZ_DELEGATE, "/event plenary");
        RecordedRequest card = api.awaitMessageTo(KZ_DELEGATE, "Пленарное заседание");
        press(KZ_DELEGATE, card, "Приму участие");
        api.await("editMessageText", edit -> edit.chatId() == KZ_DELEGATE.chatId());
        Files.writeString(eventsFile, Files.readString(eventsFile)
                .replace("start: 2026-12-08T10:00\n    end: 2026-12-08T12:00", "start: 2026-12-08T11:00\n    end: 2026-12-08T13:00"));
        api.sendText(ADMIN, "/reload");
        api.awaitMessageTo(ADMIN, "Schedule reloaded");
        RecordedRequest notice = api.awaitMessageTo(KZ_DELEGATE, "мероприятие перенесено");
        assertTrue(notice.text().contains("11:00–13:00 (Сеул)"), notice.text());
        api.sendText(ADMIN, "/reload");
        api.awaitAll("sendMessage", m -> m.chatId() == ADMIN.chatId() && m.text().contains("Schedule reloaded"), 2);
        assertEquals(1, api.messagesTo(KZ_DELEGATE).stream().filter(m -> m.text().contains("мероприятие перенесено")).count());
        assertFalse(api.messagesTo(GUEST).stream().anyMatch(m -> m.text().contains("мероприятие перенесено")));
    }
}
