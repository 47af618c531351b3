package org.forumgateway.bot;

import org.forumgateway.events.EventPage;
import org.forumgateway.events.EventService;
import org.forumgateway.users.Role;

/** {@code /events}: the upcoming events the user may see, five to a page, grouped by day. */
final class EventList implements CommandHandler, ButtonHandler {
    /** The payload of "All events" under a notice: the list's first page in a message of its own. */
    static final String IN_NEW_MESSAGE = "new";
    private final EventService events;
    private final EventViews views;

    EventList(EventService events, EventViews views) {
        this.events = events;
        this.views = views;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("events", Role.GUEST);
    }

    @Override
    public String prefix() {
        return EventViews.LIST;
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        EventPage page = events.upcoming(conversation.user(), 0, EventViews.PAGE_SIZE);
        conversation.reply(views.list(page, conversation.user(), conversation.translator()),
                views.listKeyboard(page, conversation.translator()));
    }

    /** Paging edits the list in place; a page number from an old list is clamped to the pages there are now. */
    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        if (payload.equals(IN_NEW_MESSAGE)) {
            conversation.answer(press);
            handle(conversation, "");
            return;
        }
        int requested;
        try {
            requested = Integer.parseInt(payload);
        } catch (NumberFormatException e) {
            conversation.answer(press, conversation.translator().text("button.expired"));
            return;
        }
        EventPage page = events.upcoming(conversation.user(), Math.max(0, requested), EventViews.PAGE_SIZE);
        conversation.answer(press);
        conversation.redraw(press, views.list(page, conversation.user(), conversation.translator()),
                views.listKeyboard(page, conversation.translator()));
    }
}
