package org.forumgateway.invites;

import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.events.EventService;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.testing.Schedules;
import org.forumgateway.users.Role;
import org.forumgateway.users.TelegramProfile;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InviteServiceTest {
    @TempDir
    Path folder;
    private final MutableClock clock = MutableClock.at("2026-11-22T00:00:00Z");
    private Database database;
    private UserService users;
    private InviteService invites;

    @BeforeEach
    void open() {
        database = Database.open(folder.resolve("bot.db"));
        users = new UserService(database.jdbi(), Set.of(9001L), clock);
        invites = new InviteService(database.jdbi(), clock, ZoneId.of("Asia/Seoul"), Duration.ofDays(14), 2);
        new EventService(database.jdbi(), Schedules.write(folder, Schedules.oneEvent("plenary", 5)), clock).reload();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private User user(long id) {
        return users.recordSeen(new TelegramProfile(id, "U" + id, Optional.empty(), Optional.empty(), Optional.empty()));
    }

    @Test
    void delegateInviteGivesRoleAndCountry() {
        Invite invite = invites.createDelegateInvite("KZ", 9001);
        assertEquals(RedeemOutcome.Result.APPLIED, invites.redeem(invite.code(), user(1)).result());
        User delegate = users.find(1).orElseThrow();
        assertEquals(Role.DELEGATE, delegate.role());
        assertEquals(Optional.of("KZ"), delegate.country());
    }

    @Test
    void cohortInviteMakesASupporterInThatCohort() {
        Invite invite = invites.createCohortInvite(10, 9001);
        invites.redeem(invite.code(), user(1));
        User supporter = users.find(1).orElseThrow();
        assertEquals(Role.SUPPORTER, supporter.role());
        assertEquals(Optional.of(10), supporter.cohortNumber());
    }

    @Test
    void joiningACohortWhileItRunsIsItsWelcomeOnceAndBeforeItStartsIsNot() {
        Invite invite = invites.createCohortInvite(10, 9001);
        RedeemOutcome running = invites.redeem(invite.code(), user(1));
        assertEquals(Optional.of(10), running.joinedRunning().map(Cohort::number));
        assertEquals(1, welcomesRecordedFor(1), "the round that welcomes members leaves them out");
        assertEquals(Optional.empty(), invites.redeem(invite.code(), user(1)).joinedRunning(), "opened again");
        clock.set(Instant.parse("2026-08-31T14:59:59Z")); // 23:59:59 on 31 August in Seoul, the day before
        RedeemOutcome early = invites.redeem(invites.createCohortInvite(10, 9001).code(), user(2));
        assertEquals(Optional.empty(), early.joinedRunning());
        assertEquals(0, welcomesRecordedFor(2), "welcomed on the first day");
        clock.set(Instant.parse("2026-08-31T15:00:00Z")); // 1 September in Seoul, still 31 August in UTC
        RedeemOutcome first = invites.redeem(invites.createCohortInvite(10, 9001).code(), user(3));
        assertEquals(Optional.of(10), first.joinedRunning().map(Cohort::number), "the forum's own day");
    }

    @Test
    void anInviteIntoACohortLastsNoLongerThanTheCohortAndNobodyJoinsOnceItHasEnded() {
        clock.set(Instant.parse("2026-12-25T00:00:00Z")); // the cohort ends on 31 December, in Seoul
        Invite invite = invites.createCohortInvite(10, 9001);
        assertEquals(LocalDate.parse("2026-12-31"), invite.lastDay(), "not 8 January, fourteen days on");
        Cohort cohort = new CohortService(database.jdbi()).find(10).orElseThrow();
        assertFalse(invites.hasEnded(cohort));

        clock.set(Instant.parse("2027-01-01T00:00:00Z")); // 09:00 on 1 January in Seoul: over, though the link is not
        assertTrue(invites.hasEnded(cohort));
        assertEquals(RedeemOutcome.Result.EXPIRED, invites.redeem(invite.code(), user(1)).result());
        assertEquals(Optional.empty(), users.find(1).orElseThrow().cohortNumber(), "not a member of an ended cohort");
    }

    private int welcomesRecordedFor(long user) {
        return database.jdbi().withHandle(handle -> handle.createQuery(
                        "SELECT count(*) FROM automatic_sent WHERE kind = 'welcome' AND subject = '10' AND user_id = :user")
                .bind("user", user).mapTo(Integer.class).one());
    }

    @Test
    void anInviteRunsOutAfterItsMaximumUsesButTheSamePersonMayOpenItAgain() {
        Invite invite = invites.createDelegateInvite("UZ", 9001);
        assertEquals(RedeemOutcome.Result.APPLIED, invites.redeem(invite.code(), user(1)).result());
        assertEquals(RedeemOutcome.Result.APPLIED, invites.redeem(invite.code(), user(1)).result());
        assertEquals(RedeemOutcome.Result.APPLIED, invites.redeem(invite.code(), user(2)).result());
        assertEquals(RedeemOutcome.Result.USED_UP, invites.redeem(invite.code(), user(3)).result());
        assertEquals(Role.GUEST, users.find(3).orElseThrow().role());
    }

    @Test
    void anInviteNeverLowersARole() {
        invites.redeem(invites.createDelegateInvite("KG", 9001).code(), user(1));
        invites.redeem(invites.createCohortInvite(10, 9001).code(), user(1));
        User both = users.find(1).orElseThrow();
        assertEquals(Role.DELEGATE, both.role());
        assertEquals(Optional.of("KG"), both.country());
        assertEquals(Optional.of(10), both.cohortNumber());
    }

    @Test
    void anInviteIsValidThroughTheWholeOfTheDayStaffAreToldEvenWestOfTheForumThenExpires() {
        Invite invite = invites.createDelegateInvite("TJ", 9001); // 09:00 on 22 November in Seoul
        assertEquals(LocalDate.parse("2026-12-06"), invite.lastDay(), "14 days on");
        // 23:59 on 6 December for someone at UTC-12, the last place where the 6th ends.
        clock.set(Instant.parse("2026-12-07T11:59:00Z"));
        assertEquals(RedeemOutcome.Result.APPLIED, invites.redeem(invite.code(), user(1)).result());
        clock.set(Instant.parse("2026-12-07T12:00:00Z"));
        assertEquals(RedeemOutcome.Result.EXPIRED, invites.redeem(invite.code(), user(2)).result());
        // Their own link from the chat history: no "ask for a new one" for someone it already registered.
        assertEquals(RedeemOutcome.Result.USED_BEFORE, invites.redeem(invite.code(), user(1)).result());
        assertEquals(Role.DELEGATE, users.find(1).orElseThrow().role());
    }

    @Test
    void unknownCodesAndStaffAreRefused() {
        assertEquals(RedeemOutcome.Result.UNKNOWN, invites.redeem("nope", user(1)).result());
        Invite invite = invites.createDelegateInvite("TM", 9001);
        assertEquals(RedeemOutcome.Result.STAFF_UNCHANGED, invites.redeem(invite.code(), user(9001)).result());
        assertEquals(Role.ADMIN, users.find(9001).orElseThrow().role());
    }
}
