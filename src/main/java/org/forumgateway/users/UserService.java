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

    public int count() {
        return dao.count();
    }

    private User withEffectiveRole(User user) {
        return adminIds.contains(user.telegramId()) ? user.withRole(Role.ADMIN) : user;
    }
}
