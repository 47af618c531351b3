package org.forumgateway.bot;

import org.forumgateway.calendar.CalendarEntry;
import org.forumgateway.calendar.CalendarFeeds;
import org.forumgateway.calendar.IcsWriter;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventService;
import org.forumgateway.users.Role;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * "Add to calendar" on a card sends an .ics file; {@code /calendar} gives the personal feed link and
 * {@code /calendar reset} replaces it.
 */
final class CalendarFeature implements CommandHandler, ButtonHandler {
    private final EventService events;
    private final CalendarFeeds feeds;
    private final IcsWriter ics;
    private final BotLinks links;
    private final String defaultLocale;

    CalendarFeature(EventService events, CalendarFeeds feeds, IcsWriter ics, BotLinks links, String defaultLocale) {
        this.events = events;
        this.feeds = feeds;
        this.ics = ics;
        this.links = links;
        this.defaultLocale = defaultLocale;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("calendar", Role.GUEST);
    }

    @Override
    public String prefix() {
        return EventViews.ICS;
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        long userId = conversation.user().telegramId();
        boolean reset = arguments.strip().equalsIgnoreCase("reset");
        String token = reset ? feeds.revoke(userId) : feeds.token(userId);
        Optional<String> url = links.calendarFeed(token);
        if (url.isEmpty()) {
            conversation.say("calendar.unavailable");
            return;
        }
        conversation.say(reset ? "calendar.reset" : "calendar.link", "url", url.get());
        if (conversation.user().role().atLeast(Role.STAFF) && links.feedsUnreachable()) {
            conversation.say("calendar.unreachable", "url", links.publicUrl().toString());
        }
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        Optional<Event> event = events.visible(payload, conversation.user());
        if (event.isEmpty()) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        conversation.answer(press);
        String locale = conversation.translator().locale();
        String title = event.get().title().in(locale, defaultLocale);
        CalendarEntry entry = feeds.entry(event.get(), conversation.user().telegramId());
        byte[] file = ics.file(entry, conversation.translator(), defaultLocale).getBytes(StandardCharsets.UTF_8);
        conversation.send(new OutgoingMessage.Document(conversation.chat().chatId(), event.get().key() + ".ics", file,
                conversation.translator().text("calendar.caption", "title", title)));
    }
}
