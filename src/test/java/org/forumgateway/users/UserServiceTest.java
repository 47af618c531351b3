package org.forumgateway.users;

import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UserServiceTest {
    private static final TelegramProfile ANNA = new TelegramProfile(7001, "Анна", Optional.of("Ким"),
            Optional.of("anna_kim"), Optional.of("ru"));

    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.frozenAt("2026-11-22T09:00:00Z");

    private UserService open(Set<Long> admins) {
        return new UserService(Database.open(folder.resolve("bot.db")).jdbi(), admins, clock);
    }

    @Test
    void firstUpdateCreatesTheUserAndLaterOnesRefreshThem() {
        UserService users = open(Set.of());
        User first = users.recordSeen(ANNA);
        assertEquals(Role.GUEST, first.role());
        assertEquals(Instant.parse("2026-11-22T09:00:00Z"), first.createdAt());

        clock.advance(Duration.ofHours(1));
        User renamed = users.recordSeen(new TelegramProfile(7001, "Anna", Optional.empty(), Optional.of("anna"),
                Optional.of("en")));
        assertEquals("Anna", renamed.displayName());
        assertEquals(Optional.of("en"), renamed.telegramLanguage());
        assertEquals(first.createdAt(), renamed.createdAt());
        assertEquals(Instant.parse("2026-11-22T10:00:00Z"), renamed.lastSeenAt());
        assertEquals(1, users.census().reachable());
    }

    @Test
    void aUsernameIsStoredForTheAccountThatHasItNowAndForNoOther() {
        UserService users = open(Set.of());
        // Mallory wrote as @Alice long ago, gave the name up and went quiet; Alice took it and wrote since.
        users.recordSeen(new TelegramProfile(7101, "Alice", Optional.empty(), Optional.of("Alice"), Optional.of("en")));
        clock.advance(Duration.ofDays(30));
        users.recordSeen(new TelegramProfile(7102, "Alice K.", Optional.empty(), Optional.of("alice"),
                Optional.of("en")));
        clock.advance(Duration.ofDays(1));
        users.recordSeen(new TelegramProfile(7103, "Someone", Optional.empty(), Optional.empty(), Optional.of("en")));

        assertEquals(Optional.of(7102L), users.findByIdOrUsername("@ALICE").map(User::telegramId));
        assertEquals(Optional.empty(), users.find(7101).orElseThrow().username(),
                "Mallory's old name is gone, whoever is seen later");
        assertEquals(Optional.of("alice"), users.find(7102).orElseThrow().username());
    }

    @Test
    void theCountLeavesOutWhoBlockedTheBotAsAudiencesDo() {
        Database database = Database.open(folder.resolve("count.db"));
        UserService users = new UserService(database.jdbi(), Set.of(), clock);
        users.recordSeen(new TelegramProfile(1, "Reads", Optional.empty(), Optional.empty(), Optional.of("en")));
        users.recordSeen(new TelegramProfile(2, "Blocked", Optional.empty(), Optional.empty(), Optional.of("en")));
        database.jdbi().useHandle(handle -> new UserDao(database.jdbi()).markBlocked(handle, 2, clock.instant(),
                clock.instant()));
        assertEquals(1, users.census().reachable());
        database.close();
    }

    @Test
    void theCensusCountsReachablePeopleByRoleCountryAndCohortWithAdministratorsAsStaff() {
        Database database = Database.open(folder.resolve("census.db"));
        UserService users = new UserService(database.jdbi(), Set.of(9L), clock);
        UserDao dao = new UserDao(database.jdbi());
        for (long id = 1; id <= 11; id++) {
            users.recordSeen(new TelegramProfile(id, "U" + id, Optional.empty(), Optional.empty(), Optional.of("en")));
            if (id == 3) {
                clock.advance(Census.LATELY.plusHours(1)); // 1 to 3 arrived more than a week before the others
            }
        }
        database.jdbi().useHandle(handle -> {
            handle.execute("INSERT INTO cohorts (number, name, starts_on, ends_on, updated_at) "
                    + "VALUES (10, '{\"en\": \"10th\"}', '2026-09-01', '2026-12-31', 0)");
            dao.applyInvite(handle, 1, Role.DELEGATE, Optional.of("KZ"), Optional.empty(), clock.instant());
            dao.applyInvite(handle, 2, Role.DELEGATE, Optional.of("KZ"), Optional.empty(), clock.instant());
            dao.applyInvite(handle, 4, Role.DELEGATE, Optional.of("UZ"), Optional.empty(), clock.instant());
            dao.applyInvite(handle, 5, Role.SUPPORTER, Optional.empty(), Optional.of(10), clock.instant());
            dao.applyInvite(handle, 6, Role.STAFF, Optional.empty(), Optional.empty(), clock.instant());
            dao.applyInvite(handle, 7, Role.DELEGATE, Optional.of("TJ"), Optional.empty(), clock.instant());
            dao.markBlocked(handle, 7, clock.instant(), clock.instant());
            // Two more Uzbek delegates who kept a cohort from before: their country's count comes in two groups.
            dao.applyInvite(handle, 10, Role.DELEGATE, Optional.of("UZ"), Optional.of(10), clock.instant());
            dao.applyInvite(handle, 11, Role.DELEGATE, Optional.of("UZ"), Optional.of(10), clock.instant());
        });

        Census census = users.census();
        assertEquals(10, census.reachable());
        assertEquals(1, census.blocked());
        assertEquals(7, census.joinedLately(), "4, 5, 6, 8, 9, 10 and 11; 7 blocked the bot");
        assertEquals(java.util.List.of(Map.entry("UZ", 3L), Map.entry("KZ", 2L)),
                java.util.List.copyOf(census.delegatesByCountry().entrySet()), "most first, summed over cohorts");
        assertEquals(5, census.delegates());
        assertEquals(Map.of(10, 1L), census.supportersByCohort());
        assertEquals(2, census.staff(), "6, and 9 from ADMIN_IDS, whose stored role is guest");
        assertEquals(2, census.withoutRole(), "3 and 8");
        database.close();
    }

    @Test
    void choicesSurviveReopeningTheDatabase() {
        UserService users = open(Set.of());
        users.recordSeen(ANNA);
        users.chooseLocale(7001, "ko");
        users.chooseTimeZone(7001, ZoneId.of("Asia/Tashkent"));

        User reloaded = open(Set.of()).recordSeen(ANNA);
        assertEquals(Optional.of("ko"), reloaded.locale());
        assertEquals(Optional.of(ZoneId.of("Asia/Tashkent")), reloaded.timeZone());
    }

    @Test
    void adminRoleComesFromTheConfiguredIdsOnEveryLookup() {
        open(Set.of()).recordSeen(ANNA);
        assertEquals(Role.ADMIN, open(Set.of(7001L)).find(7001).orElseThrow().role());
        assertEquals(Role.GUEST, open(Set.of()).find(7001).orElseThrow().role());
    }
}
