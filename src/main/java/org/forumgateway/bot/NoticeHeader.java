package org.forumgateway.bot;

import org.forumgateway.events.Event;
import org.forumgateway.i18n.DurationText;
import org.forumgateway.i18n.Translator;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The line a reminder or a deadline nudge puts above an event's card ("Reminder: the event begins in 1 day."). Its
 * code travels in the card's answer buttons ({@code rsvp:g:<key>/r}), so an answer given on a reminder redraws the
 * card under a reminder still, instead of turning the notice into a plain card.
 */
public final class NoticeHeader {
    /** Between an event's key (letters, digits and dashes) and the header's code in callback data. */
    static final char SEPARATOR = '/';
    private static final String REMINDER = "r";
    private static final String NUDGE = "n";

    private final String code;
    /** How long before the start a reminder was sent; empty for a nudge. */
    private final Optional<Duration> before;

    private NoticeHeader(String code, Optional<Duration> before) {
        this.code = code;
        this.before = before;
    }

    /** "Reminder: the event begins in 1 day.", for a reminder sent {@code before} the event. */
    public static NoticeHeader reminder(Duration before) {
        return new NoticeHeader(REMINDER, Optional.of(before));
    }

    /** The request a deadline nudge makes. */
    public static NoticeHeader nudge() {
        return new NoticeHeader(NUDGE, Optional.empty());
    }

    /** The header a button's code names; empty for anything else (callback data is never trusted). */
    static Optional<NoticeHeader> parse(String code) {
        return switch (code) {
            case REMINDER -> Optional.of(new NoticeHeader(REMINDER, Optional.empty()));
            case NUDGE -> Optional.of(nudge());
            default -> Optional.empty();
        };
    }

    String code() {
        return code;
    }

    /** The header as sent, a blank line and {@code card}. */
    public String above(String card, Translator translator) {
        String header = code.equals(REMINDER)
                ? translator.text("reminder.header", "before", DurationText.format(before.orElseThrow(), translator))
                : translator.text("nudge.header");
        return header + "\n\n" + card;
    }

    /**
     * The same, redrawn after an answer given under it: a reminder says how long is left now (the event may have
     * moved since it was sent), and none once the event has begun or was cancelled; a nudge's request has been
     * answered, or can no longer be, and is gone.
     */
    String redrawn(String card, Event event, Instant now, Translator translator) {
        Duration left = Duration.between(now, event.startsAt());
        if (!code.equals(REMINDER) || event.cancelled() || left.isNegative() || left.isZero()) {
            return card;
        }
        // Whole minutes, as a reminder states them: "begins in 23 hours, 59 minutes", not "…, 59 seconds".
        return reminder(Duration.ofMinutes(Math.max(1, left.plusSeconds(30).toMinutes()))).above(card, translator);
    }
}
