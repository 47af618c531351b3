package org.forumgateway.users;

import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

/** Remembers users and their choices. Roles are computed on every call, so a change in ADMIN_IDS counts at once. */
public final class UserService {
    private final UserDao dao;
    private final Set<Long> adminIds;
    private final Clock clock;

    public UserService(Jdbi jdbi, Set<Long> adminIds, Clock clock) {
        this.dao = new UserDao(jdbi);
        this.adminIds = Set.copyOf(adminIds);
        this.clock = clock;
    }

    /** Creates or refreshes the user behind an update and returns them with their effective role. */
    public User recordSeen(TelegramProfile profile) {
        return withEffectiveRole(dao.upsert(profile, clock.instant()));
    }

    public Optional<User> find(long telegramId) {
        return dao.find(telegramId).map(this::withEffectiveRole);
    }

    public void chooseLocale(long telegramId, String locale) {
        dao.updateLocale(telegramId, locale, clock.instant());
    }

    public void chooseTimeZone(long telegramId, ZoneId zone) {
        dao.updateTimeZone(telegramId, zone, clock.instant());
    }

    /** Finds a user by numeric id or by @username (case-insensitive). */
    public Optional<User> findByIdOrUsername(String reference) {
        String text = reference.strip();
        if (text.startsWith("@")) {
            return dao.findByUsername(text.substring(1)).map(this::withEffectiveRole);
        }
        try {
            return find(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return dao.findByUsername(text).map(this::withEffectiveRole);
        }
    }

    /** Sets the stored role; administrators stay administrators whatever is stored. */
    public void setRole(long telegramId, Role role) {
        if (role == Role.ADMIN) {
            throw new IllegalArgumentException("administrators come from ADMIN_IDS");
        }
        dao.updateRole(telegramId, role, clock.instant());
    }

    public boolean isAdministrator(long telegramId) {
        return adminIds.contains(telegramId);
    }

    public int count() {
        return dao.count();
    }

    private User withEffectiveRole(User user) {
        return adminIds.contains(user.telegramId()) ? user.withRole(Role.ADMIN) : user;
    }
}
