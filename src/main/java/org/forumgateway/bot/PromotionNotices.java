package org.forumgateway.bot;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.rsvp.Promotion;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;

/** Tells users who moved up from a waitlist, each in their own language, with a button to the card. */
public final class PromotionNotices {
    private static final Logger log = LoggerFactory.getLogger(PromotionNotices.class);

    private final UserService users;
    private final EventService events;
    private final MessageCatalog catalog;
    private final Messenger messenger;
    private final String defaultLocale;

    public PromotionNotices(UserService users, EventService events, MessageCatalog catalog, Messenger messenger) {
        this.users = users;
        this.events = events;
        this.catalog = catalog;
        this.messenger = messenger;
        this.defaultLocale = catalog.defaultLocale();
    }

    public void tell(List<Promotion> promotions) {
        for (Promotion promotion : promotions) {
            try {
                tell(promotion);
            } catch (RuntimeException e) {
                // The seat is theirs either way; the card shows it when they next look.
                log.warn("Could not tell user {} about their seat at {}: {}", promotion.userId(), promotion.eventKey(),
                        e.getMessage());
            }
        }
    }

    private void tell(Promotion promotion) {
        Optional<User> user = users.find(promotion.userId());
        if (user.isEmpty()) {
            return;
        }
        Translator translator = catalog.translator(catalog.resolve(user.get().locale(), user.get().telegramLanguage()));
        events.visible(promotion.eventKey(), user.get()).ifPresent(event -> messenger.send(new OutgoingMessage.Send(
                promotion.userId(),
                translator.text("rsvp.promoted", "title", event.title().in(translator.locale(), defaultLocale)),
                new Keyboard(List.of(List.of(new Button(translator.text("event.button.open"),
                        EventViews.CARD + ":" + event.key())))))));
    }
}
