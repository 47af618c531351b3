package org.forumgateway.users;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Remembers users and their choices. Roles are computed on every call, so a change in ADMIN_IDS counts at once. */
public final class UserService {
    private final Jdbi jdbi;
    private final UserDao dao;
    private final Set<Long> adminIds;
    private final Clock clock;

    public UserService(Jdbi jdbi, Set<Long> adminIds, Clock clock) {
        this.jdbi = jdbi;
        this.dao = new UserDao(jdbi);
        this.adminIds = Set.copyOf(adminIds);
        this.clock = clock;
    }

    /** Creates or refreshes the user behind an update and returns them with their effective role. */
    public User recordSeen(TelegramProfile profile) {
        return withEffectiveRole(dao.upsert(profile, clock.instant()));
    }

    /**
     * The user behind an update, with their effective role: read when what Telegram says about them is what is
     * stored (no write), else created or refreshed as by {@link #recordSeen}. Their last-seen time is written
     * with what the update causes, by {@link #seen}.
     */
    public User arrived(TelegramProfile profile) {
        return dao.find(profile.telegramId()).filter(stored -> stored.matches(profile))
                .map(this::withEffectiveRole)
                .orElseGet(() -> recordSeen(profile));
    }

    /** Notes that the user wrote to the bot just now, inside the caller's transaction. */
    public void seen(Handle handle, long telegramId) {
        dao.touch(handle, telegramId, clock.instant());
    }

    /** The user unblocked the bot (Telegram told so), inside the caller's transaction: audiences count them again. */
    public void unblocked(Handle handle, long telegramId) {
        dao.markActive(handle, telegramId, clock.instant());
    }

    public Optional<User> find(long telegramId) {
        return dao.find(telegramId).map(this::withEffectiveRole);
    }

    /** The same, inside the caller's transaction. */
    public Optional<User> find(Handle handle, long telegramId) {
        return dao.find(handle, telegramId).map(this::withEffectiveRole);
    }

    /** The users of {@code telegramIds} the bot knows, in no particular order, inside the caller's transaction. */
    public List<User> findAll(Handle handle, List<Long> telegramIds) {
        return dao.findAll(handle, telegramIds).stream().map(this::withEffectiveRole).toList();
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
        setRole(telegramId, role, AccessChanged.NONE);
    }

    /** The same, telling {@code changed} in the same transaction. */
    public void setRole(long telegramId, Role role, AccessChanged changed) {
        if (role == Role.ADMIN) {
            throw new IllegalArgumentException("administrators come from ADMIN_IDS");
        }
        jdbi.useTransaction(handle -> {
            dao.updateRole(handle, telegramId, role, clock.instant());
            changed.changed(handle, telegramId);
        });
    }

    public boolean isAdministrator(long telegramId) {
        return adminIds.contains(telegramId);
    }

    /** The administrators from ADMIN_IDS. */
    public Set<Long> administrators() {
        return adminIds;
    }

    /** Quiet hours of the user: their own, none if they turned them off, else {@code defaults}. */
    public Optional<QuietHours> quietHours(long telegramId, QuietHours defaults) {
        return dao.quietHours(telegramId).map(stored -> stored[0] < 0 ? Optional.<QuietHours>empty()
                : Optional.of(new QuietHours(stored[0], stored[1]))).orElse(Optional.of(defaults));
    }

    /** Sets the user's quiet hours; empty turns them off. */
    public void setQuietHours(long telegramId, Optional<QuietHours> hours) {
        dao.updateQuietHours(telegramId, hours.map(QuietHours::startMinute).orElse(-1),
                hours.map(QuietHours::endMinute).orElse(-1), clock.instant());
    }

    public boolean wantsDigest(long telegramId) {
        return dao.digest(telegramId);
    }

    public void setDigest(long telegramId, boolean wanted) {
        dao.updateDigest(telegramId, wanted, clock.instant());
    }

    /** Who uses the bot now, for staff. */
    public Census census() {
        return dao.census(adminIds, clock.instant().minus(Census.LATELY));
    }

    private User withEffectiveRole(User user) {
        return adminIds.contains(user.telegramId()) ? user.withRole(Role.ADMIN) : user;
    }
}
