package org.forumgateway.announcements;

import java.time.ZoneId;
import java.util.Optional;

/** Someone an announcement goes to, with the language they read and the time zone they chose, if any. */
public record Recipient(long userId, String locale, Optional<ZoneId> timeZone) {
}
