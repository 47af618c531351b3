package org.forumgateway.bot;

import org.forumgateway.announcements.Announcement;
import org.forumgateway.announcements.AnnouncementService;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.delivery.Progress;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.users.Role;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code /announcements} (staff): recent and scheduled announcements with their figures; scheduled ones can be
 * cancelled. {@code /announcements edit <id>} and {@code delete <id>} fix or recall a sent one.
 */
final class AnnouncementsCommand implements CommandHandler {
    private static final int SHOWN = 10;

    private final AnnouncementService announcements;
    private final AnnouncementViews views;
    private final EventViews eventViews;
    private final AnnouncementChangeFlow changes;

    AnnouncementsCommand(AnnouncementService announcements, AnnouncementViews views, EventViews eventViews,
                         AnnouncementChangeFlow changes) {
        this.announcements = announcements;
        this.views = views;
        this.eventViews = eventViews;
        this.changes = changes;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("announcements", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String[] words = arguments.strip().split("\\s+", 2);
        String rest = words.length > 1 ? words[1] : "";
        switch (words[0].toLowerCase(Locale.ROOT)) {
            case "" -> list(conversation);
            case "edit" -> changes.edit(conversation, rest);
            case "delete", "recall" -> changes.delete(conversation, rest);
            default -> conversation.say("announcements.change.usage");
        }
    }

    /** The time the list gives: when it is scheduled for, else when it started, else when it was written. */
    private static Instant shownTime(Announcement announcement) {
        return announcement.scheduledAt().filter(at -> announcement.status() == Announcement.Status.SCHEDULED)
                .or(announcement::startedAt).orElse(announcement.createdAt());
    }

    private void list(Conversation conversation) {
        Translator translator = conversation.translator();
        List<Announcement> recent = announcements.recent(SHOWN);
        if (recent.isEmpty()) {
            conversation.say("announcements.empty");
            return;
        }
        ZoneId zone = eventViews.zoneOf(conversation.user());
        List<String> lines = new ArrayList<>();
        lines.add(translator.text("announcements.title"));
        lines.add(eventViews.zoneRule(zone, translator, recent.stream().map(AnnouncementsCommand::shownTime).toList()));
        List<Button> buttons = new ArrayList<>();
        for (Announcement announcement : recent) {
            Instant when = shownTime(announcement);
            Html audience = AudienceTerms.parse(announcement.audience()).terms()
                    .map(terms -> views.audience(terms, translator)).orElse(Html.of(announcement.audience()));
            Progress progress = announcements.progress(announcement).orElse(null);
            lines.add(translator.text("announcements.item",
                    "id", announcement.id(),
                    "status", translator.text("announcements.status." + (announcements.changes()
                            .recalled(announcement.id()) ? "recalled" : announcement.status().code())),
                    "audience", audience,
                    "date", DateTimes.date(when, zone, translator.locale()),
                    "time", DateTimes.time(when, zone, translator.locale()),
                    "hasFigures", progress == null ? "no" : "yes",
                    "sent", progress == null ? 0 : progress.sent(),
                    "total", progress == null ? 0 : progress.total(),
                    "blocked", progress == null ? 0 : progress.blocked(),
                    "failed", progress == null ? 0 : progress.failed()));
            if (announcement.status() == Announcement.Status.SCHEDULED) {
                buttons.add(AnnounceFlow.cancelScheduled(translator, announcement.id()));
            }
        }
        conversation.reply(String.join("\n", lines), Keyboard.grid(buttons, 2));
    }
}
