package org.forumgateway.bot;

import org.forumgateway.delivery.Progress;
import org.forumgateway.i18n.MessageCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reports staff read, in every language the bot speaks. */
class AnnouncementViewsTest {
    private final MessageCatalog catalog = MessageCatalog.load(Path.of("messages"), "en", List.of());
    private final AnnouncementViews views = new AnnouncementViews(null, "en");

    @Test
    void aReportAfterARecallMidwaySaysHowManyMessagesTheRecallStoppedInEveryLanguage() {
        Progress recalledMidway = new Progress(10, 6, 0, 1, 0, 3, Map.of());
        Progress whole = new Progress(10, 9, 0, 1, 0, 0, Map.of());
        String english = views.report(1, recalledMidway, Duration.ofSeconds(4), catalog.translator("en"));
        assertTrue(english.contains("Delivered: 6 of 10") && english.contains("Not sent (recalled, or the person was erased): 3"),
                english);
        for (String locale : List.of("en", "ko", "ru", "kk", "uz", "ky", "tg", "tk")) {
            String stopped = views.report(1, recalledMidway, Duration.ofSeconds(4), catalog.translator(locale));
            String done = views.report(1, whole, Duration.ofSeconds(4), catalog.translator(locale));
            assertTrue(stopped.contains(": 3"), locale + ": " + stopped);
            assertEquals(done.lines().count() + 1, stopped.lines().count(), locale + ": " + stopped);
        }
    }
}
