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
 * When a reload moves an event, changes its venue or cancels it, everyone who answered it (not "can't go") gets a
 * notice in their language through the outbox, with a button to the card. One notification per change: loading
 * the same file twice tells nobody twice.
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

    /** Queues the notices a reload calls for, in the reload's transaction; returns how many messages were new. */
    int tell(Handle handle, List<ReloadReport.Change> changes) {
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
            List<Recipient> recipients = audiences.resolve(handle, answered);
            if (recipients.isEmpty()) {
                continue;
            }
            // From what to what: moving back to an earlier time is a change of its own.
            String reference = after.key() + "@" + state(before) + "->" + state(after);
            List<Outbox.Addressed> messages = new ArrayList<>();
            for (Recipient recipient : recipients) {
                Translator translator = catalog.translator(recipient.locale());
                messages.add(new Outbox.Addressed(recipient.userId(), 0, new OutgoingMessage.Send(recipient.userId(),
                        text(kind.get(), after, translator, recipient),
                        new Keyboard(List.of(List.of(new Button(translator.text("event.button.open"),
                                EventViews.CARD + ":" + after.key())))))));
            }
            queued += notifications.queue(handle, NotificationKind.EVENT_CHANGE, reference, messages).added();
        }
        return queued;
    }

    private static String state(Event event) {
        return event.start() + "/" + event.endsAt() + "/" + event.zone() + "/" + event.venue().map(venue -> venue.label("", "")).orElse("") + "/"
                + event.cancelled();
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
