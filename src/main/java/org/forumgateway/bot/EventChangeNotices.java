package org.forumgateway.bot;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.announcements.Recipient;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.Event;
import org.forumgateway.events.ReloadReport;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * When a reload moves an event, changes its venue or cancels it, everyone who answered it (not "can't go") gets a
 * notice in their language through the outbox, with a button to the card. One notification per change: loading
 * the same file twice tells nobody twice.
 */
public final class EventChangeNotices {
    private final AudienceResolver audiences;
    private final Outbox outbox;
    private final Runnable wakeDelivery;
    private final MessageCatalog catalog;
    private final EventViews views;

    public EventChangeNotices(AudienceResolver audiences, Outbox outbox, Runnable wakeDelivery,
                              MessageCatalog catalog, ZoneId defaultZone, Clock clock) {
        this.audiences = audiences;
        this.outbox = outbox;
        this.wakeDelivery = wakeDelivery;
        this.catalog = catalog;
        this.views = new EventViews(defaultZone, catalog.defaultLocale(), clock);
    }

    /** Queues the notices a reload calls for; returns how many messages were queued. */
    public int tell(List<ReloadReport.Change> changes) {
        int queued = 0;
        for (ReloadReport.Change change : changes) {
            if (change.before().isEmpty()) {
                continue;
            }
            Event before = change.before().get();
            Event after = change.after();
            Optional<String> kind = kind(before, after);
            if (kind.isEmpty()) {
                continue;
            }
            AudienceTerms answered = new AudienceTerms(Set.of(), Set.of(), Set.of(),
                    List.of(new AudienceTerms.EventTerm(after.key(), Optional.empty())), Set.of());
            List<Recipient> recipients = audiences.resolve(answered);
            if (recipients.isEmpty()) {
                continue;
            }
            String reference = after.key() + "@" + after.start() + "/" + after.zone() + "/" + after.venue()
                    .map(venue -> venue.label("", "")).orElse("") + "/" + after.cancelled();
            long notification = outbox.createNotification("event_change", reference);
            List<Outbox.Addressed> messages = new ArrayList<>();
            for (Recipient recipient : recipients) {
                Translator translator = catalog.translator(recipient.locale());
                messages.add(new Outbox.Addressed(recipient.userId(), 0, new OutgoingMessage.Send(recipient.userId(),
                        text(kind.get(), after, translator, recipient),
                        new Keyboard(List.of(List.of(new Button(translator.text("event.button.open"),
                                EventViews.CARD + ":" + after.key())))))));
            }
            queued += outbox.enqueueBulk(notification, messages);
        }
        if (queued > 0) {
            wakeDelivery.run();
        }
        return queued;
    }

    private String text(String kind, Event event, Translator translator, Recipient recipient) {
        String title = views.title(event, translator);
        return switch (kind) {
            case "cancelled" -> translator.text("event.changed.cancelled", "title", title);
            case "venue" -> translator.text("event.changed.venue", "title", title,
                    "venue", event.venue().map(venue -> venue.label(translator.locale(), views.defaultLocale()))
                            .orElse(""));
            default -> translator.text("event.changed.time", "title", title,
                    "when", new Html(views.when(event, views.zoneOr(recipient.timeZone()), translator)));
        };
    }

    /** What a change means for people: cancelled, moved in time, or moved in space. */
    private static Optional<String> kind(Event before, Event after) {
        if (after.cancelled() && !before.cancelled()) {
            return Optional.of("cancelled");
        }
        if (after.cancelled()) {
            return Optional.empty();
        }
        if (!before.startsAt().equals(after.startsAt()) || !before.endsAt().equals(after.endsAt())) {
            return Optional.of("time");
        }
        if (!before.venue().equals(after.venue())) {
            return Optional.of("venue");
        }
        return Optional.empty();
    }
}
