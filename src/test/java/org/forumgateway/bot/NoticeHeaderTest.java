package org.forumgateway.bot;

import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
    void onlyTheCodesOfTheTwoKindsAreReadBack() {
        assertEquals(Optional.of("r"), NoticeHeader.parse(NoticeHeader.reminder(Duration.ofHours(1)).code())
                .map(NoticeHeader::code));
        assertEquals(Optional.of("n"), NoticeHeader.parse(NoticeHeader.nudge().code()).map(NoticeHeader::code));
        for (String forged : List.of("", "x", "r60", "R", "n ", "rn", "/r")) {
            assertEquals(Optional.empty(), NoticeHeader.parse(forged), forged);
        }
    }
}
