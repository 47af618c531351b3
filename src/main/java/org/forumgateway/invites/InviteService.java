package org.forumgateway.invites;

import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortDao;
import org.forumgateway.cohorts.CohortGreetings;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.users.AccessChanged;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserDao;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Optional;

/** Creates invite codes and applies them. Codes are random and unguessable. Thread-safe. */
public final class InviteService {
    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
    private static final int CODE_LENGTH = 12;
    private final Jdbi jdbi;
    private final InviteDao invites;
    private final UserDao users;
    private final CohortDao cohorts = new CohortDao();
    private final Clock clock;
    private final ZoneId forumZone;
    private final Duration validity;
    private final int maxUses;
    private final SecureRandom random = new SecureRandom();
    private final AccessChanged accessChanged;

    /** @param forumZone the zone of the forum's own days, which cohort periods are in */
    public InviteService(Jdbi jdbi, Clock clock, ZoneId forumZone, Duration validity, int maxUses) {
        this(jdbi, clock, forumZone, validity, maxUses, AccessChanged.NONE);
    }

    /** @param accessChanged told in the same transaction about everyone an invite gives a role, country or cohort */
    public InviteService(Jdbi jdbi, Clock clock, ZoneId forumZone, Duration validity, int maxUses,
                         AccessChanged accessChanged) {
        this.accessChanged = accessChanged;
        this.jdbi = jdbi;
        this.invites = new InviteDao(jdbi);
        this.users = new UserDao(jdbi);
        this.clock = clock;
        this.forumZone = forumZone;
        this.validity = validity;
        this.maxUses = maxUses;
    }

    /** An invite that makes its users delegates of {@code country} (an ISO code such as KZ). */
    /** Forgets which invites {@code userId} used, in the caller's transaction (their erasure). */
    public void forget(Handle handle, long userId) {
        invites.forgetUses(handle, userId);
    }

    public Invite createDelegateInvite(String country, long staffId) {
        return create(Role.DELEGATE, Optional.of(country), Optional.empty(), staffId);
    }

    /** An invite into cohort {@code cohort}, which must exist. */
    public Invite createCohortInvite(int cohort, long staffId) {
        return create(Role.SUPPORTER, Optional.empty(), Optional.of(cohort), staffId);
    }

    /**
     * Whether the cohort's period is over, in the forum's calendar: an invite into it would make people members of
     * a cohort that has said farewell, outside every audience.
     */
    public boolean hasEnded(Cohort cohort) {
        return clock.instant().atZone(forumZone).toLocalDate().isAfter(cohort.endsOn());
    }

    private Invite create(Role role, Optional<String> country, Optional<Integer> cohort, long staffId) {
        Instant now = clock.instant();
        // Valid through the whole of its last day (INVITE_VALIDITY_DAYS on, in the forum's calendar): staff are
        // shown a date, and a link opened that evening must not be answered "expired". Not beyond its cohort's
        // last day.
        LocalDate lastDay = now.plus(validity).atZone(forumZone).toLocalDate();
        Optional<LocalDate> cohortEnds = cohort.flatMap(number -> jdbi.withHandle(handle -> cohorts.find(handle, number)))
                .map(Cohort::endsOn).filter(lastDay::isAfter);
        Instant expiresAt = Invite.endOf(cohortEnds.orElse(lastDay));
        Invite invite = new Invite(newCode(), role, country, cohort, expiresAt, maxUses, 0);
        invites.insert(invite, staffId, now);
        return invite;
    }

    /**
     * Applies the invite {@code code} to {@code user}, in one transaction (the caller's, when it has one open: the
     * answer must commit with the welcome it records); using one code twice costs one use.
     */
    public RedeemOutcome redeem(String code, User user) {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Optional<Invite> found = invites.find(handle, code);
            if (found.isEmpty()) {
                return new RedeemOutcome(RedeemOutcome.Result.UNKNOWN, found);
            }
            Invite invite = found.get();
            boolean usedBefore = invites.usedBy(handle, code, user.telegramId());
            if (usedBefore && !now.isBefore(invite.expiresAt())) {
                // Their old link, opened again from the chat history: what it gave them is not undone by expiry.
                return new RedeemOutcome(RedeemOutcome.Result.USED_BEFORE, found);
            }
            if (!now.isBefore(invite.expiresAt()) || intoEndedCohort(handle, invite)) {
                return new RedeemOutcome(RedeemOutcome.Result.EXPIRED, found);
            }
            if (!usedBefore && invite.uses() >= invite.maxUses()) {
                return new RedeemOutcome(RedeemOutcome.Result.USED_UP, found);
            }
            if (user.role().atLeast(Role.STAFF)) {
                return new RedeemOutcome(RedeemOutcome.Result.STAFF_UNCHANGED, found);
            }
            if (!usedBefore) {
                invites.recordUse(handle, code, user.telegramId(), now);
            }
            // An invite adds a country or a cohort; it never lowers a role (a delegate joining a cohort stays a
            // delegate).
            users.applyInvite(handle, user.telegramId(), user.role().atLeast(invite.role()) ? user.role() : invite.role(),
                    invite.country(), invite.cohort(), now);
            accessChanged.changed(handle, user.telegramId());
            return new RedeemOutcome(RedeemOutcome.Result.APPLIED, found, welcomedNow(handle, invite, user, now));
        });
    }

    /** An invite made before the cohort's end moved earlier, or before invites stopped at the cohort's end. */
    private boolean intoEndedCohort(Handle handle, Invite invite) {
        return invite.cohort().flatMap(number -> cohorts.find(handle, number)).filter(this::hasEnded).isPresent();
    }

    /**
     * The cohort the invite adds {@code user} to, when its period runs and they have not been welcomed to it: the
     * answer to the invite is the welcome, recorded here as the cohort's, so that the round that welcomes members
     * leaves them out. The caller queues the answer in this transaction.
     */
    private Optional<Cohort> welcomedNow(Handle handle, Invite invite, User user, Instant now) {
        return invite.cohort().flatMap(number -> cohorts.find(handle, number))
                .filter(cohort -> cohort.runsOn(now.atZone(forumZone).toLocalDate()))
                .filter(cohort -> AutomationDao.recordSent(handle, CohortGreetings.WELCOME,
                        String.valueOf(cohort.number()), user.telegramId(), now));
    }

    private String newCode() {
        StringBuilder code = new StringBuilder(CODE_LENGTH);
        for (int i = 0; i < CODE_LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }
}
