package org.forumgateway.rsvp;

import org.forumgateway.bot.EventViews;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.NotificationKind;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.QuietHoursOf;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Tells users who moved up from a waitlist, each in their own language, with a button to the card; queued in the
 * transaction that gave them the seat, so a seat is never given silently.
 */
public final class PromotionNotices implements PromotionListener {
    private final UserService users;
    private final EventService events;
    private final MessageCatalog catalog;
    private final Notifications notifications;
    private final Clock clock;
    private final QuietHoursOf quietHours;

    public PromotionNotices(UserService users, EventService events, MessageCatalog catalog,
                            Notifications notifications, Clock clock) {
        this(users, events, catalog, notifications, clock, QuietHoursOf.none());
    }

    /** @param quietHours whose quiet hours silence the notice: it goes at once, as the seat may be for tomorrow */
    public PromotionNotices(UserService users, EventService events, MessageCatalog catalog,
                            Notifications notifications, Clock clock, QuietHoursOf quietHours) {
        this.users = users;
        this.events = events;
        this.catalog = catalog;
        this.notifications = notifications;
        this.clock = clock;
        this.quietHours = quietHours;
    }

    @Override
    public void promoted(Handle handle, List<Promotion> promotions) {
        for (Promotion promotion : promotions) {
            tell(handle, promotion);
        }
    }

    private void tell(Handle handle, Promotion promotion) {
        Optional<User> user = users.find(handle, promotion.userId());
        if (user.isEmpty()) {
            return;
        }
        Translator translator = catalog.translatorFor(user.get().languagePreference());
        events.visible(handle, promotion.eventKey(), user.get()).ifPresent(event -> {
            OutgoingMessage message = new OutgoingMessage.Send(promotion.userId(),
                    translator.text("rsvp.promoted", "title", event.title().in(translator.locale(),
                            catalog.defaultLocale())),
                    new Keyboard(List.of(List.of(new Button(translator.text("event.button.open"),
                            EventViews.CARD + ":" + event.key())))),
                    quietHours.quietUntil(handle, promotion.userId(), clock.instant()).isPresent());
            // A user may move up, drop out and move up again: each promotion is its own notification.
            String reference = promotion.eventKey() + "/" + promotion.userId() + "@" + clock.millis();
            notifications.queue(handle, NotificationKind.PROMOTION, reference,
                    List.of(new Outbox.Addressed(promotion.userId(), 0, message)));
        });
    }
}
