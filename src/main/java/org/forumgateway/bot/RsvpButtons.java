package org.forumgateway.bot;

import org.forumgateway.events.Event;
import org.forumgateway.rsvp.Rsvp;
import org.forumgateway.rsvp.RsvpChoice;
import org.forumgateway.rsvp.RsvpOutcome;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.rsvp.RsvpStatus;

import java.time.Clock;
import java.util.Optional;

/**
 * Going / Maybe / Can't go on a card: {@code rsvp:<g|m|n>:<key>}, and {@code rsvp:<g|m|n>:<key>/<r|n>} under a
 * reminder or a nudge. The press is checked against the database (the event exists, the user may see it, it still
 * takes answers), answered, and the card redrawn in place (under a reminder's header still: {@link NoticeHeader}).
 */
final class RsvpButtons implements ButtonHandler {
    private final RsvpService rsvps;
    private final EventViews views;
    private final Clock clock;

    RsvpButtons(RsvpService rsvps, EventViews views, Clock clock) {
        this.clock = clock;
        this.rsvps = rsvps;
        this.views = views;
    }

    @Override
    public String prefix() {
        return EventViews.RSVP;
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        Optional<RsvpChoice> choice = payload.length() > 2 && payload.charAt(1) == ':'
                ? choice(payload.charAt(0)) : Optional.empty();
        if (choice.isEmpty()) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        String target = payload.substring(2);
        int separator = target.indexOf(NoticeHeader.SEPARATOR);
        String eventKey = separator < 0 ? target : target.substring(0, separator);
        Optional<NoticeHeader> header = separator < 0 ? Optional.empty()
                : NoticeHeader.parse(target.substring(separator + 1));
        // The answer and the redrawn card are queued with the change they report, and read the seats it left.
        conversation.together(() -> answer(conversation, press, choice.get(), eventKey, header));
    }

    private void answer(Conversation conversation, ButtonContext press, RsvpChoice choice, String eventKey,
                        Optional<NoticeHeader> header) {
        RsvpOutcome outcome = rsvps.answer(eventKey, conversation.user(), choice);
        if (outcome.result() == RsvpOutcome.Result.NOT_AVAILABLE) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        Event event = outcome.event().orElseThrow();
        conversation.answer(press, notice(conversation, outcome, event));
        Optional<Rsvp> rsvp = outcome.rsvp().or(() -> rsvps.find(event.key(), conversation.user().telegramId()));
        String card = views.card(event, conversation.user(), conversation.translator(), rsvps.counts(event.key()), rsvp);
        conversation.redraw(press,
                header.map(notice -> notice.redrawn(card, event, clock.instant(), conversation.translator())).orElse(card),
                views.cardKeyboard(event, conversation.translator(), rsvp, header));
    }

    private static String notice(Conversation conversation, RsvpOutcome outcome, Event event) {
        return switch (outcome.result()) {
            case RECORDED, UNCHANGED -> {
                Rsvp rsvp = outcome.rsvp().orElseThrow();
                String key = rsvp.status() == RsvpStatus.WAITLISTED ? "rsvp.waitlisted" : "rsvp." + rsvp.status().code();
                yield conversation.translator().text(key, "position", rsvp.waitlistPosition().orElse(0));
            }
            case CANCELLED -> conversation.translator().text("event.closed.cancelled");
            case STARTED -> conversation.translator().text("event.closed.started");
            case ENDED -> conversation.translator().text("event.closed.ended");
            case DEADLINE_PASSED -> conversation.translator().text("event.closed.deadline");
            case NOT_AVAILABLE -> conversation.translator().text("button.expired");
        };
    }

    private static Optional<RsvpChoice> choice(char code) {
        return switch (code) {
            case 'g' -> Optional.of(RsvpChoice.GOING);
            case 'm' -> Optional.of(RsvpChoice.MAYBE);
            case 'n' -> Optional.of(RsvpChoice.DECLINED);
            default -> Optional.empty();
        };
    }
}
