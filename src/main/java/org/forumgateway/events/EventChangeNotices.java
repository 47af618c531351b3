package org.forumgateway.events;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.Recipient;
import org.forumgateway.bot.EventViews;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a reload moves an event, changes its venue, cancels it or calls off its cancellation, everyone who answered
 * it (not "can't go") gets one notice of all of it in their language through the outbox, with a button to the card
 * and one to the event's calendar file (which updates the copy a calendar took from an earlier one).
 * One notification per change and reload: loading the same file twice tells nobody twice, and moving an event back
 * and forth tells people each time.
 */
final class EventChangeNotices {
    private final AudienceResolver audiences;
    private final Notifications notifications;
    private final MessageCatalog catalog;
    private final EventViews views;

    EventChangeNotices(AudienceResolver audiences, Notifications notifications, MessageCatalog catalog,
                              EventViews views) {
        this.audiences = audiences;
        this.notifications = notifications;
        this.catalog = catalog;
        this.views = views;
    }

    /** What a change means for people. */
    private enum Kind { CANCELLED, REINSTATED, TIME, VENUE }

    /** Queues the notices a reload calls for, in the reload's transaction; returns how many messages were new. */
    int tell(Handle handle, ReloadReport report) {
        int queued = 0;
        for (ReloadReport.Change change : report.changes()) {
            if (change.before().isEmpty()) {
                continue;
            }
            Event before = change.before().get();
            Event after = change.after();
            List<Kind> kinds = kinds(before, after, views.defaultLocale());
            boolean over = !before.endsAt().isAfter(report.at()) && !after.endsAt().isAfter(report.at());
            if (kinds.isEmpty() || over) {
                continue; // nobody is told about an event that was over before and still is
            }
            AudienceTerms answered = new AudienceTerms(Set.of(), Set.of(), Set.of(),
                    List.of(new AudienceTerms.EventTerm(after.key(), Optional.empty())), Set.of());
            List<Recipient> recipients = audiences.resolve(handle, answered);
            if (recipients.isEmpty()) {
                continue;
            }
            // The reload's time as well as the change: moved to 11:00, back to 10:00, to 11:00 again tells each.
            String reference = after.key() + "@" + report.at().toEpochMilli() + ":" + state(before) + "->"
                    + state(after);
            List<Outbox.Addressed> messages = new ArrayList<>();
            for (Recipient recipient : recipients) {
                Translator translator = catalog.translator(recipient.locale());
                // Sent at once, as it may change someone's morning; in their quiet hours without a sound.
                messages.add(new Outbox.Addressed(recipient.userId(), 0, new OutgoingMessage.Send(recipient.userId(),
                        text(kinds, after, translator, recipient),
                        new Keyboard(List.of(List.of(new Button(translator.text("event.button.open"),
                                        EventViews.CARD + ":" + after.key())),
                                // The file again, same UID and a higher SEQUENCE: a calendar that has the event
                                // from an earlier file takes the new time or place, or the cancellation. A row of
                                // its own: "Открыть мероприятие" beside it would be cut short on a phone.
                                List.of(new Button(translator.text("event.button.calendar"),
                                        EventViews.ICS + ":" + after.key())))),
                        recipient.quietUntil(report.at()).isPresent())));
            }
            queued += notifications.queue(handle, NotificationKind.EVENT_CHANGE, reference, messages).added();
        }
        return queued;
    }

    private static String state(Event event) {
        return event.start() + "/" + event.endsAt() + "/" + event.zone() + "/" + event.venue().map(venue -> venue.label("", "")).orElse("") + "/"
                + event.cancelled();
    }

    private String text(List<Kind> kinds, Event event, Translator translator, Recipient recipient) {
        String title = views.title(event, translator);
        List<String> lines = new ArrayList<>();
        for (Kind kind : kinds) {
            lines.add(switch (kind) {
                case CANCELLED -> translator.text("event.changed.cancelled", "title", title);
                case REINSTATED -> translator.text("event.changed.reinstated", "title", title,
                        "when", new Html(views.when(event, views.zoneOr(recipient.timeZone()), translator)));
                case TIME -> translator.text("event.changed.time", "title", title,
                        "when", new Html(views.when(event, views.zoneOr(recipient.timeZone()), translator)));
                case VENUE -> translator.text("event.changed.venue", "title", title,
                        "venue", label(event, translator.locale()));
            });
        }
        return String.join("\n", lines);
    }

    /** The venue as a reader of {@code locale} sees it on the card. */
    private String label(Event event, String locale) {
        return event.venue().map(venue -> venue.label(locale, views.defaultLocale())).orElse("");
    }

    /**
     * Everything the change means for people, in the order told: cancelled (nothing else matters then), or called
     * off (with its time), or moved in time, and in space.
     */
    private List<Kind> kinds(Event before, Event after, String defaultLocale) {
        if (after.cancelled()) {
            return before.cancelled() ? List.of() : List.of(Kind.CANCELLED);
        }
        List<Kind> kinds = new ArrayList<>();
        if (before.cancelled()) {
            kinds.add(Kind.REINSTATED);
        } else if (!before.startsAt().equals(after.startsAt()) || !before.endsAt().equals(after.endsAt())) {
            kinds.add(Kind.TIME);
        }
        // A venue taken out of the file leaves nothing to tell people where to go: no notice of it. A move is a new
        // venue in the default language: a name added in Kazakh, or a Russian address corrected, moves nobody.
        if (after.venue().isPresent() && !label(before, defaultLocale).equals(label(after, defaultLocale))) {
            kinds.add(Kind.VENUE);
        }
        return kinds;
    }
}
