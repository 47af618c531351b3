package org.forumgateway.reminders;

import org.forumgateway.i18n.LanguagePreference;
import org.forumgateway.users.QuietHours;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.Optional;

/**
 * Who an automatic message is for: their id, their language choices, zone and quiet hours as stored.
 *
 * @param quietHours empty when the user turned quiet hours off
 */
public record Reader(long userId, Optional<String> locale, Optional<String> telegramLanguage, Optional<ZoneId> zone,
                     Optional<QuietHours> quietHours) {

    public LanguagePreference languagePreference() {
        return new LanguagePreference(locale, telegramLanguage);
    }

    /**
     * Reads the user columns of a row, as {@link AutomationDao#READER_COLUMNS} names them; {@code defaults} stands for
     * a user who never set quiet hours.
     */
    static Reader from(ResultSet rs, QuietHours defaults) throws SQLException {
        int start = rs.getInt("reader_quiet_start");
        boolean unset = rs.wasNull();
        int end = rs.getInt("reader_quiet_end");
        Optional<QuietHours> quiet = unset ? Optional.of(defaults)
                : start < 0 ? Optional.empty() : Optional.of(new QuietHours(start, end));
        return new Reader(rs.getLong("user_id"), Optional.ofNullable(rs.getString("reader_locale")),
                Optional.ofNullable(rs.getString("reader_telegram_language")),
                Optional.ofNullable(rs.getString("reader_time_zone")).map(ZoneId::of), quiet);
    }
}
