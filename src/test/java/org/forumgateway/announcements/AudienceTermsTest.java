package org.forumgateway.announcements;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** An audience as typed, and as stored with a draft (its formatted terms, parsed again when it is sent). */
class AudienceTermsTest {
    @Test
    void aGroupNamedBesideEveryGroupIsKeptWhenStored() {
        // "groups" means the groups staff confirmed; -100123 may be one the bot is in but nobody confirmed.
        AudienceTerms typed = AudienceTerms.parse("groups,group:-100123").terms().orElseThrow();

        String stored = typed.format();

        assertEquals("groups,group:-100123", stored);
        assertEquals(typed, AudienceTerms.parse(stored).terms().orElseThrow());
    }
}
