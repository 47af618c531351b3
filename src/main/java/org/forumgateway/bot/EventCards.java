package org.forumgateway.bot;

import org.forumgateway.events.Event;
import org.forumgateway.events.EventService;
import org.forumgateway.rsvp.Rsvp;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.Role;

import java.util.Locale;
import java.util.Optional;

/** {@code /event <key>}, the deep link {@code event-<key>} and the list's buttons: open one event's card. */
final class EventCards implements CommandHandler, ButtonHandler {
    private final EventService events;
    private final RsvpService rsvps;
    private final EventViews views;

    EventCards(EventService events, RsvpService rsvps, EventViews views) {
        this.events = events;
        this.rsvps = rsvps;
        this.views = views;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("event", Role.GUEST);
    }

    @Override
    public String prefix() {
        return EventViews.CARD;
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String key = arguments.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            conversation.say("event.usage");
            return;
        }
        open(conversation, key);
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        Optional<Event> event = events.visible(payload, conversation.user());
        if (event.isEmpty()) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        conversation.answer(press);
        send(conversation, event.get());
    }

    /** Sends the card of {@code key}, or says there is no such event (hidden ones included: they do not exist). */
    void open(Conversation conversation, String key) {
        events.visible(key, conversation.user()).ifPresentOrElse(
                event -> send(conversation, event),
                () -> conversation.say("event.notFound", "key", LanguagePicker.truncate(key)));
    }

    private void send(Conversation conversation, Event event) {
        Optional<Rsvp> rsvp = rsvps.find(event.key(), conversation.user().telegramId());
        conversation.reply(views.card(event, conversation.user(), conversation.translator(), rsvps.counts(event.key()), rsvp),
                views.cardKeyboard(event, conversation.translator(), rsvp));
    }
}
