package org.forumgateway.bot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** Where the audience of {@code /announce <audience> <text>} ends and the text begins. */
class AnnounceOneLineTest {
    @Test
    void theAudienceIsTheFirstWord() {
        assertArrayEquals(new String[] {"delegates,country:KZ", "The session moved to <b>15:00</b>."},
                AnnounceFlow.audienceAndText("delegates,country:KZ The session moved to <b>15:00</b>."));
    }

    @Test
    void aListTypedWithSpacesAfterItsCommasStaysTheAudience() {
        assertArrayEquals(new String[] {"delegates,country:KZ,lang:ru", "The session\n\nmoved."},
                AnnounceFlow.audienceAndText("delegates, country:KZ ,lang:ru The session\n\nmoved."));
    }

    @Test
    void anAudienceWithoutTextHasNoText() {
        assertArrayEquals(new String[] {"delegates,"}, AnnounceFlow.audienceAndText("delegates,"));
        assertArrayEquals(new String[] {""}, AnnounceFlow.audienceAndText(""));
    }
}
