package org.forumgateway.bot;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventPage;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.rsvp.Rsvp;
import org.forumgateway.rsvp.RsvpCounts;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.users.User;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How events look in chat: the card with its buttons, and the paged list. Times are shown in the venue's zone
 * and, when it differs, in the reader's own.
 */
public final class EventViews {
    static final String LIST = "evl";
    /** Callback data of the button that opens an event's card: {@code evc:<key>}. */
    public static final String CARD = "evc";
    /**
     * Events listed in one message with a line each (/myevents, the weekly digest): with titles of up to 200
     * characters, 15 lines stay inside Telegram's 4096 characters; the rest are counted ("…and 3 more").
     */
    public static final int LIST_LIMIT = 15;
    static final String RSVP = "rsvp";
    public static final String ICS = "ics";
    static final int PAGE_SIZE = 5;

    private final ZoneId defaultZone;
    private final String defaultLocale;
    private final Clock clock;

    public EventViews(ZoneId defaultZone, String defaultLocale, Clock clock) {
        this.defaultZone = defaultZone;
        this.defaultLocale = defaultLocale;
        this.clock = clock;
    }

    public String defaultLocale() {
        return defaultLocale;
    }

    public ZoneId zoneOf(User user) {
        return user.timeZone().orElse(defaultZone);
    }

    public ZoneId zoneOr(Optional<ZoneId> chosen) {
        return chosen.orElse(defaultZone);
    }

    public String title(Event event, Translator translator) {
        return event.title().in(translator.locale(), defaultLocale);
    }

    String card(Event event, User user, Translator translator, RsvpCounts counts, Optional<Rsvp> rsvp) {
        return card(event, zoneOf(user), translator, counts, rsvp);
    }

    /** The card for a reader in {@code zone}. */
    public String card(Event event, ZoneId zone, Translator translator, RsvpCounts counts, Optional<Rsvp> rsvp) {
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("event.card.title", "title", title(event, translator),
                "kind", translator.text("event.kind." + event.kind().code())));
        lines.add("");
        lines.add(when(event, zone, translator));
        event.venue().ifPresent(venue -> lines.add(translator.text("event.card.venue",
                "venue", venue.label(translator.locale(), defaultLocale))));
        String description = event.description().in(translator.locale(), defaultLocale);
        if (!description.isEmpty()) {
            lines.add("");
            lines.add(Html.escape(description));
        }
        lines.add("");
        lines.add(seats(event, translator, counts));
        lines.add(answer(translator, rsvp));
        event.rsvpClosure(clock.instant()).ifPresentOrElse(
                closure -> lines.add(translator.text("event.closed." + closureKey(closure))),
                () -> event.rsvpDeadlineAt().ifPresent(deadline -> lines.add(deadline(deadline, zone, translator))));
        return String.join("\n", lines);
    }

    /** "Please answer by Friday, 4 December, 11:00 (Berlin)": in the reader's zone, saying so. */
    public String deadline(Instant deadline, ZoneId zone, Translator translator) {
        return translator.text("event.card.deadlineIn",
                "date", DateTimes.date(deadline, zone, translator.locale()),
                "time", DateTimes.time(deadline, zone, translator.locale()),
                "city", ZoneNames.city(translator, zone));
    }

    /**
     * The rule of a screen that lists times in the reader's zone without a label on each:
     * "Times in your time zone: Berlin (UTC+1)".
     */
    public String zoneRule(ZoneId zone, Translator translator) {
        return zoneRule(zone, translator, List.of());
    }

    /**
     * The same for a list of times: their offset, which is not today's when the zone changes its clocks before them
     * (both, in order, when the list spans the change, as "UTC+1/UTC+2"); today's for an empty list.
     */
    public String zoneRule(ZoneId zone, Translator translator, List<Instant> shown) {
        List<String> offsets = (shown.isEmpty() ? List.of(clock.instant()) : shown).stream().sorted()
                .map(instant -> DateTimes.utcOffset(instant, zone)).distinct().toList();
        return translator.text("times.yourZone", "city", ZoneNames.city(translator, zone),
                "offset", String.join("/", offsets));
    }

    public Keyboard cardKeyboard(Event event, Translator translator, Optional<Rsvp> rsvp) {
        return cardKeyboard(event, translator, rsvp, Optional.empty());
    }

    /**
     * The card's buttons under a reminder or a nudge: an answer redraws the card as {@link NoticeHeader#redrawn} says
     * (under a reminder's line still), and "All events" opens the list in a new message, leaving the notice in the
     * chat.
     */
    public Keyboard noticeKeyboard(Event event, Translator translator, Optional<Rsvp> rsvp, NoticeHeader header) {
        return cardKeyboard(event, translator, rsvp, Optional.of(header));
    }

    Keyboard cardKeyboard(Event event, Translator translator, Optional<Rsvp> rsvp, Optional<NoticeHeader> header) {
        String target = event.key() + header.map(notice -> NoticeHeader.SEPARATOR + notice.code()).orElse("");
        List<List<Button>> rows = new ArrayList<>();
        if (event.rsvpClosure(clock.instant()).isEmpty()) {
            Optional<RsvpStatus> status = rsvp.map(Rsvp::status);
            boolean going = status.filter(s -> s == RsvpStatus.GOING || s == RsvpStatus.WAITLISTED).isPresent();
            rows.add(List.of(
                    new Button(mark(going) + translator.text("event.button.going"), RSVP + ":g:" + target),
                    new Button(mark(status.filter(RsvpStatus.MAYBE::equals).isPresent())
                            + translator.text("event.button.maybe"), RSVP + ":m:" + target),
                    new Button(mark(status.filter(RsvpStatus.DECLINED::equals).isPresent())
                            + translator.text("event.button.declined"), RSVP + ":n:" + target)));
        }
        rows.add(List.of(new Button(translator.text("event.button.calendar"), ICS + ":" + event.key()),
                new Button(translator.text("event.button.all"),
                        LIST + ":" + (header.isPresent() ? EventList.IN_NEW_MESSAGE : "0"))));
        return new Keyboard(rows);
    }

    String list(EventPage page, User user, Translator translator) {
        if (page.events().isEmpty()) {
            return translator.text("events.empty");
        }
        ZoneId zone = zoneOf(user);
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("events.title", "page", page.page() + 1, "pages", page.pages()));
        lines.add(zoneRule(zone, translator, page.events().stream().map(Event::startsAt).toList()));
        LocalDate day = null;
        for (Event event : page.events()) {
            LocalDate eventDay = event.startsAt().atZone(zone).toLocalDate();
            if (!eventDay.equals(day)) {
                lines.add("");
                lines.add(translator.text("events.day", "date", DateTimes.date(event.startsAt(), zone, translator.locale())));
                day = eventDay;
            }
            lines.add(translator.text("events.item",
                    "time", DateTimes.time(event.startsAt(), zone, translator.locale()),
                    "title", title(event, translator),
                    "cancelled", event.cancelled() ? "yes" : "no"));
        }
        return String.join("\n", lines);
    }

    Keyboard listKeyboard(EventPage page, Translator translator) {
        List<List<Button>> rows = cardButtons(page.events(), translator);
        List<Button> navigation = new ArrayList<>();
        if (page.page() > 0) {
            navigation.add(new Button(translator.text("events.button.previous"), LIST + ":" + (page.page() - 1)));
        }
        if (page.page() + 1 < page.pages()) {
            navigation.add(new Button(translator.text("events.button.next"), LIST + ":" + (page.page() + 1)));
        }
        if (!navigation.isEmpty()) {
            rows.add(navigation);
        }
        return new Keyboard(rows);
    }

    /** A button per event, one under the other, each opening the event's card. */
    List<List<Button>> cardButtons(List<Event> events, Translator translator) {
        List<List<Button>> rows = new ArrayList<>();
        for (Event event : events) {
            rows.add(List.of(new Button(shorten(title(event, translator)), CARD + ":" + event.key())));
        }
        return rows;
    }

    /** "Tuesday, 8 December, 10:00–12:00 Seoul", then the same in the reader's zone when it differs. */
    public String when(Event event, ZoneId own, Translator translator) {
        String locale = translator.locale();
        String venueTime = translator.text("event.card.when",
                "date", DateTimes.date(event.startsAt(), event.zone(), locale),
                "start", DateTimes.time(event.startsAt(), event.zone(), locale),
                "end", end(event, event.zone(), translator),
                "city", ZoneNames.city(translator, event.zone()));
        Instant start = event.startsAt();
        if (own.getRules().getOffset(start).equals(event.zone().getRules().getOffset(start))) {
            return venueTime;
        }
        return venueTime + "\n" + translator.text("event.card.yourTime",
                "date", DateTimes.date(start, own, locale),
                "start", DateTimes.time(start, own, locale),
                "end", end(event, own, translator),
                "city", ZoneNames.city(translator, own));
    }

    /** The end's time, with its date when it falls on a later day in {@code zone} (a two-day meeting, a night). */
    private static String end(Event event, ZoneId zone, Translator translator) {
        String time = DateTimes.time(event.endsAt(), zone, translator.locale());
        if (event.endsAt().atZone(zone).toLocalDate().equals(event.startsAt().atZone(zone).toLocalDate())) {
            return time;
        }
        return translator.text("event.card.endOnDate", "date", DateTimes.date(event.endsAt(), zone, translator.locale()),
                "time", time);
    }

    private static String seats(Event event, Translator translator, RsvpCounts counts) {
        return counts.seatsLeft(event.capacity())
                .map(left -> left > 0
                        ? translator.text("event.card.seats", "left", left, "capacity", event.capacity().orElseThrow())
                        : translator.text("event.card.full", "waitlisted", counts.waitlisted()))
                .orElseGet(() -> translator.text("event.card.unlimited", "going", counts.going()));
    }

    private static String answer(Translator translator, Optional<Rsvp> rsvp) {
        return rsvp.map(answer -> translator.text("event.card.answer." + answer.status().code(),
                        "position", answer.waitlistPosition().orElse(0)))
                .orElseGet(() -> translator.text("event.card.answer.none"));
    }

    static String closureKey(Event.RsvpClosure closure) {
        return switch (closure) {
            case CANCELLED -> "cancelled";
            case STARTED -> "started";
            case ENDED -> "ended";
            case DEADLINE_PASSED -> "deadline";
        };
    }

    private static String mark(boolean chosen) {
        return chosen ? "✓ " : "";
    }

    static String shorten(String title) {
        return LanguagePicker.shorten(title, 60);
    }
}
