package org.forumgateway.bot;

import org.forumgateway.events.Audience;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventKind;
import org.forumgateway.i18n.LocalizedText;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A notice's header, and its code read back from callback data, which anyone can forge. */
class NoticeHeaderTest {
    private final Translator english = MessageCatalog.load(Path.of("messages"), "en", List.of()).translator("en");

    @Test
    void aReminderSaysHowLongBeforeTheStartItWasSentAndANudgeAsksForAnAnswer() {
        assertEquals("<b>Reminder:</b> the event begins in 1 hour, 30 minutes.\n\ncard",
                NoticeHeader.reminder(Duration.ofMinutes(90)).above("card", english));
        assertEquals("Please let us know whether you will attend.\n\ncard", NoticeHeader.nudge().above("card", english));
    }

    @Test
    void aReminderRedrawnSaysHowLongIsLeftUntilTheEventBeginsOrIsCancelled() {
        Instant now = Instant.parse("2026-12-07T05:00:00Z");
        NoticeHeader reminder = NoticeHeader.reminder(Duration.ofHours(24));
        assertEquals("<b>Reminder:</b> the event begins in 19 hours.\n\ncard",
                reminder.redrawn("card", plenary(false), now, english));
        assertEquals("card", reminder.redrawn("card", plenary(true), now, english), "nothing begins");
        assertEquals("card", reminder.redrawn("card", plenary(false), now.plus(Duration.ofDays(1)), english),
                "it has begun");
    }

    private static Event plenary(boolean cancelled) {
        return new Event("plenary", EventKind.SESSION, new LocalizedText(Map.of("en", "Plenary")),
                LocalizedText.empty(), Optional.empty(), ZoneId.of("Asia/Seoul"),
                LocalDateTime.parse("2026-12-08T09:00"), LocalDateTime.parse("2026-12-08T11:00"), Optional.empty(),
                Optional.empty(), Audience.PUBLIC, List.of(Duration.ofHours(24)), cancelled);
    }

    @Test
    void onlyTheCodesOfTheTwoKindsAreReadBack() {
        assertEquals(Optional.of("r"), NoticeHeader.parse(NoticeHeader.reminder(Duration.ofHours(1)).code())
                .map(NoticeHeader::code));
        assertEquals(Optional.of("n"), NoticeHeader.parse(NoticeHeader.nudge().code()).map(NoticeHeader::code));
        for (String forged : List.of("", "x", "r60", "R", "n ", "rn", "/r")) {
            assertEquals(Optional.empty(), NoticeHeader.parse(forged), forged);
        }
    }
}
