package org.forumgateway.rsvp;

import org.forumgateway.events.Audience;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventDao;
import org.forumgateway.users.User;
import org.forumgateway.webhooks.WebhookEvents;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * RSVPs with capacity and a waitlist. Every transition, and the promotions it causes, is one write
 * transaction (taken with BEGIN IMMEDIATE), so simultaneous presses are served strictly one after another in
 * order of arrival. Thread-safe.
 */
public final class RsvpService {
    private final Jdbi jdbi;
    private final Clock clock;
    private final PromotionListener promotionListener;
    private final EventDao events = new EventDao();
    private final RsvpDao rsvps = new RsvpDao();
    private final WebhookEvents webhooks;
    private final Admission admission;

    public RsvpService(Jdbi jdbi, Clock clock) {
        this(jdbi, clock, PromotionListener.NONE, WebhookEvents.none());
    }

    public RsvpService(Jdbi jdbi, Clock clock, PromotionListener promotionListener) {
        this(jdbi, clock, promotionListener, WebhookEvents.none());
    }

    /**
     * @param promotionListener told in the same transaction about everyone who moves up from a waitlist
     * @param webhooks          told in the same transaction about every changed answer
     */
    public RsvpService(Jdbi jdbi, Clock clock, PromotionListener promotionListener, WebhookEvents webhooks) {
        this(jdbi, clock, promotionListener, webhooks, Admission.ANYONE);
    }

    /** @param admission who on a waitlist may still have a seat: the event must still be for them */
    public RsvpService(Jdbi jdbi, Clock clock, PromotionListener promotionListener, WebhookEvents webhooks,
                       Admission admission) {
        this.jdbi = jdbi;
        this.clock = clock;
        this.promotionListener = promotionListener;
        this.webhooks = webhooks;
        this.admission = admission;
    }

    /** Records {@code user}'s answer to the event {@code eventKey}, after checking they may see and answer it. */
    public RsvpOutcome answer(String eventKey, User user, RsvpChoice choice) {
        Instant now = clock.instant();
        return jdbi.inTransaction(handle -> {
            Optional<Event> found = events.find(handle, eventKey).filter(event -> event.audience().admits(user));
            if (found.isEmpty()) {
                return RsvpOutcome.refused(RsvpOutcome.Result.NOT_AVAILABLE, Optional.empty());
            }
            Event event = found.get();
            Optional<Event.RsvpClosure> closure = event.rsvpClosure(now);
            if (closure.isPresent()) {
                return RsvpOutcome.refused(refusal(closure.get()), found);
            }
            Optional<Rsvp> current = find(handle, event, user.telegramId());
            Optional<RsvpStatus> currentStatus = current.map(Rsvp::status);
            if (alreadyAnswered(currentStatus, choice)) {
                // Someone waiting who asks again may find a seat that was left free while only people the event
                // was not for waited (they became eligible since): first come, first served, it may be theirs.
                List<Promotion> promotions = currentStatus.get() == RsvpStatus.WAITLISTED
                        ? fillFreeSeats(handle, event, freeSeats(handle, event), now) : List.of();
                return promotions.isEmpty() ? new RsvpOutcome(RsvpOutcome.Result.UNCHANGED, found, current, List.of())
                        : new RsvpOutcome(RsvpOutcome.Result.RECORDED, found,
                                find(handle, event, user.telegramId()), promotions);
            }
            List<Promotion> promotions = new ArrayList<>();
            RsvpStatus next = switch (choice) {
                case GOING -> {
                    // A seat free while someone the event is for waits (they became eligible again since it was
                    // freed) goes to them first: first come, first served. A seat still free after that is this
                    // user's.
                    int free = freeSeats(handle, event);
                    promotions.addAll(fillFreeSeats(handle, event, free, now));
                    yield promotions.size() < free ? RsvpStatus.GOING : RsvpStatus.WAITLISTED;
                }
                case MAYBE -> RsvpStatus.MAYBE;
                case DECLINED -> RsvpStatus.DECLINED;
            };
            // Joining the waitlist puts the user at its end, however long ago they first answered.
            rsvps.save(handle, eventKey, user.telegramId(), next, next == RsvpStatus.WAITLISTED, now);
            webhooks.rsvpChanged(handle, eventKey, user.telegramId(), next.code());
            if (currentStatus.filter(RsvpStatus.GOING::equals).isPresent()) {
                promotions.addAll(fillFreeSeats(handle, event, freeSeats(handle, event), now));
            }
            return new RsvpOutcome(RsvpOutcome.Result.RECORDED, found,
                    find(handle, event, user.telegramId()), promotions);
        });
    }

    /** Gives free seats to waitlisted users, first come first served: after capacity grew, for instance. */
    public List<Promotion> fillFreeSeats(String eventKey) {
        return jdbi.inTransaction(handle -> fillFreeSeats(handle, eventKey));
    }

    /**
     * The same, inside the caller's transaction. After the RSVP deadline too: people may no longer answer then, but
     * seats staff add (to let the waitlist in) go to those waiting. Not once the event started or was cancelled.
     */
    public List<Promotion> fillFreeSeats(Handle handle, String eventKey) {
        Instant now = clock.instant();
        return events.find(handle, eventKey)
                .filter(event -> event.rsvpClosure(now).filter(closure -> closure != Event.RsvpClosure.DEADLINE_PASSED)
                        .isEmpty())
                .map(event -> fillFreeSeats(handle, event, freeSeats(handle, event), now))
                .orElse(List.of());
    }

    /**
     * After {@code userId}'s role, country or cohort changed, in that transaction: a seat left free at an event they
     * wait for, while only people it was not for waited, goes to the first in line it is for now (them, or someone
     * who became eligible before them). Each is told, as after any promotion.
     */
    public List<Promotion> fillSeatsWaitedBy(Handle handle, long userId) {
        List<Promotion> promotions = new ArrayList<>();
        for (String eventKey : rsvps.waitedBy(handle, userId)) {
            promotions.addAll(fillFreeSeats(handle, eventKey));
        }
        return promotions;
    }

    /**
     * Forgets every answer of {@code userId}, in the caller's transaction: the seats they held go to the first
     * people waiting whom the events are for, who are told as after any freed seat.
     */
    public void forget(Handle handle, long userId) {
        for (String eventKey : rsvps.forget(handle, userId)) {
            fillFreeSeats(handle, eventKey);
        }
    }

    /** The user's answer, with their waitlist position. */
    public Optional<Rsvp> find(String eventKey, long userId) {
        return jdbi.withHandle(handle -> events.find(handle, eventKey)
                .flatMap(event -> find(handle, event, userId))
                .or(() -> rsvps.find(handle, eventKey, userId)));
    }

    /** The user's answers to events that have not ended and that they may still see, soonest first. */
    public List<MyEvent> upcomingFor(User user) {
        return jdbi.withHandle(handle -> rsvps.upcomingFor(handle, user.telegramId(), clock.instant()).stream()
                .filter(item -> item.event().audience().admits(user))
                .map(item -> new MyEvent(item.event(), placed(handle, item.event(), item.rsvp())))
                .toList());
    }

    public RsvpCounts counts(String eventKey) {
        return jdbi.withHandle(handle -> rsvps.counts(handle, eventKey));
    }

    /** The user's answer to {@code event}, with their place among those waiting whom it is still for. */
    private Optional<Rsvp> find(Handle handle, Event event, long userId) {
        return rsvps.find(handle, event.key(), userId).map(rsvp -> placed(handle, event, rsvp));
    }

    /**
     * A waiting answer's place counts only those ahead whom the event is still for: a freed seat passes the others
     * by (staff narrowed its audience, or their cohort or role changed), so counting them would tell people they are
     * further back than they are. An event for everyone admits everyone, and the count the query made stands.
     */
    private Rsvp placed(Handle handle, Event event, Rsvp rsvp) {
        if (rsvp.waitlistPosition().isEmpty() || event.audience().kind() == Audience.Kind.PUBLIC) {
            return rsvp;
        }
        List<Long> ahead;
        try (Stream<Long> waiting = rsvps.waitlisted(handle, event.key())) {
            ahead = waiting.takeWhile(userId -> userId != rsvp.userId()).toList();
        }
        long admittedAhead = ahead.isEmpty() ? 0 : admission.countAdmitted(handle, event, ahead);
        return new Rsvp(rsvp.eventKey(), rsvp.userId(), rsvp.status(), Optional.of((int) admittedAhead + 1),
                rsvp.answeredAt());
    }

    /** Seats not taken (none when more are going than the capacity, after it shrank); an unlimited event's many. */
    private int freeSeats(Handle handle, Event event) {
        return event.capacity().map(capacity -> Math.max(0, capacity - rsvps.countGoing(handle, event.key())))
                .orElse(Integer.MAX_VALUE);
    }

    /** Gives up to {@code free} seats to the first people waiting whom the event is for. */
    private List<Promotion> fillFreeSeats(Handle handle, Event event, int free, Instant now) {
        if (free == 0) {
            return List.of();
        }
        List<Promotion> promotions = new ArrayList<>();
        for (long userId : firstAdmittedWaitlisted(handle, event, free)) {
            rsvps.promote(handle, event.key(), userId, now);
            webhooks.rsvpChanged(handle, event.key(), userId, RsvpStatus.GOING.code());
            promotions.add(new Promotion(event.key(), userId));
        }
        if (!promotions.isEmpty()) {
            promotionListener.promoted(handle, promotions);
        }
        return promotions;
    }

    /** The first {@code limit} people waiting for a seat whom the event is still for, first come first served. */
    private List<Long> firstAdmittedWaitlisted(Handle handle, Event event, int limit) {
        try (Stream<Long> waiting = rsvps.waitlisted(handle, event.key())) {
            return waiting.filter(userId -> admission.admits(handle, event, userId)).limit(limit).toList();
        }
    }

    private static boolean alreadyAnswered(Optional<RsvpStatus> current, RsvpChoice choice) {
        return current.map(status -> switch (choice) {
            case GOING -> status == RsvpStatus.GOING || status == RsvpStatus.WAITLISTED;
            case MAYBE -> status == RsvpStatus.MAYBE;
            case DECLINED -> status == RsvpStatus.DECLINED;
        }).orElse(false);
    }

    private static RsvpOutcome.Result refusal(Event.RsvpClosure closure) {
        return switch (closure) {
            case CANCELLED -> RsvpOutcome.Result.CANCELLED;
            case STARTED -> RsvpOutcome.Result.STARTED;
            case ENDED -> RsvpOutcome.Result.ENDED;
            case DEADLINE_PASSED -> RsvpOutcome.Result.DEADLINE_PASSED;
        };
    }
}
