package org.forumgateway.bot;

import org.forumgateway.chat.Keyboard;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.rsvp.MyEvent;
import org.forumgateway.rsvp.RsvpService;
import org.forumgateway.users.Role;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** {@code /myevents}: the user's upcoming answers (going, maybe, waitlisted with position). */
final class MyEventsCommand implements CommandHandler {
    private final RsvpService rsvps;
    private final EventViews views;

    MyEventsCommand(RsvpService rsvps, EventViews views) {
        this.rsvps = rsvps;
        this.views = views;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("myevents", Role.GUEST);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        List<MyEvent> all = rsvps.upcomingFor(conversation.user());
        // A message holds at most 4096 characters and 100 buttons: show the soonest, say how many more.
        List<MyEvent> mine = all.subList(0, Math.min(all.size(), EventViews.LIST_LIMIT));
        Translator translator = conversation.translator();
        if (all.isEmpty()) {
            conversation.say("myevents.empty");
            return;
        }
        ZoneId zone = views.zoneOf(conversation.user());
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("myevents.title"));
        lines.add(views.zoneRule(zone, translator, mine.stream().map(item -> item.event().startsAt()).toList()));
        for (MyEvent item : mine) {
            lines.add(translator.text("myevents.item",
                    "date", DateTimes.date(item.event().startsAt(), zone, translator.locale()),
                    "time", DateTimes.time(item.event().startsAt(), zone, translator.locale()),
                    "title", views.title(item.event(), translator),
                    "cancelled", item.event().cancelled() ? "yes" : "no",
                    "status", translator.text("rsvp.status." + item.rsvp().status().code(),
                            "position", item.rsvp().waitlistPosition().orElse(0))));
        }
        if (all.size() > EventViews.LIST_LIMIT) {
            lines.add(translator.text("myevents.more", "count", all.size() - EventViews.LIST_LIMIT));
        }
        conversation.reply(String.join("\n", lines),
                new Keyboard(views.cardButtons(mine.stream().map(MyEvent::event).toList(), translator)));
    }
}
