package org.forumgateway.announcements;

import org.forumgateway.users.QuietHours;

import java.time.ZoneId;
import java.util.Optional;

/**
 * Someone an announcement goes to, with the language they read, their time zone (chosen, else the default) and
 * their quiet hours (empty when turned off).
 */
public record Recipient(long userId, String locale, Optional<ZoneId> timeZone, Optional<QuietHours> quietHours) {
}
