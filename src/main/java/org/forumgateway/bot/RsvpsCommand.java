package org.forumgateway.bot;

import org.forumgateway.audit.AuditLog;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.events.Event;
import org.forumgateway.events.EventService;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.rsvp.AttendanceExport;
import org.forumgateway.rsvp.AttendanceExport.Attendee;
import org.forumgateway.rsvp.RsvpStatus;
import org.forumgateway.users.Role;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** {@code /rsvps <key>} (staff): counts by status and by country, and the attendee list as a workbook (.xlsx). */
final class RsvpsCommand implements CommandHandler {
    private final EventService events;
    private final AttendanceExport attendance;
    private final EventViews views;
    private final AuditLog audit;

    RsvpsCommand(EventService events, AttendanceExport attendance, EventViews views, AuditLog audit) {
        this.events = events;
        this.attendance = attendance;
        this.audit = audit;
        this.views = views;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("rsvps", Role.STAFF);
    }

    @Override
    public void handle(Conversation conversation, String arguments) {
        String key = arguments.strip().toLowerCase(Locale.ROOT);
        if (key.isEmpty()) {
            conversation.say("rsvps.usage");
            return;
        }
        Optional<Event> event = events.visible(key, conversation.user());
        if (event.isEmpty()) {
            conversation.say("event.notFound", "key", LanguagePicker.truncate(key));
            return;
        }
        Translator translator = conversation.translator();
        List<Attendee> attendees = attendance.attendees(key);
        Map<RsvpStatus, Long> byStatus = attendees.stream()
                .collect(Collectors.groupingBy(Attendee::status, () -> new EnumMap<>(RsvpStatus.class), Collectors.counting()));
        String countries = AttendanceExport.byCountry(attendees, RsvpStatus.GOING).entrySet().stream()
                .map(entry -> translator.text("rsvps.country",
                        "country", entry.getKey().isEmpty() ? new Html(translator.text("rsvps.noCountry"))
                                : InviteCommand.countryName(entry.getKey(), translator),
                        "count", entry.getValue()))
                .collect(Collectors.joining("\n"));
        String title = views.title(event.get(), translator);
        conversation.say("rsvps.summary",
                "title", title,
                "going", byStatus.getOrDefault(RsvpStatus.GOING, 0L),
                "waitlisted", byStatus.getOrDefault(RsvpStatus.WAITLISTED, 0L),
                "maybe", byStatus.getOrDefault(RsvpStatus.MAYBE, 0L),
                "declined", byStatus.getOrDefault(RsvpStatus.DECLINED, 0L),
                "countries", new Html(countries.isEmpty() ? translator.text("rsvps.nobody") : countries));
        Map<RsvpStatus, String> statusNames = new EnumMap<>(RsvpStatus.class);
        for (RsvpStatus status : RsvpStatus.values()) {
            statusNames.put(status, translator.text("rsvps.sheet.status." + status.code()));
        }
        List<String> columns = Arrays.asList(translator.text("rsvps.sheet.columns").split("\\|"));
        // The answer times are in the venue's zone: the last column says so.
        columns.set(columns.size() - 1, translator.text("rsvps.sheet.timeColumn", "column", columns.get(columns.size() - 1),
                "city", ZoneNames.city(translator, event.get().zone())));
        // Roles and countries by name, as /rsvps and invites show them, in the staff member's language.
        List<Attendee> named = attendees.stream().map(attendee -> new Attendee(attendee.name(), attendee.username(),
                translator.text("rsvps.sheet.role." + attendee.role()), attendee.country().isEmpty() ? ""
                        : InviteCommand.countryName(attendee.country(), translator), attendee.status(),
                attendee.answeredAt())).toList();
        byte[] workbook = AttendanceExport.workbook(key, named, columns, statusNames, event.get().zone());
        // Names, usernames and countries of the attendees leave the bot: who took them is on record first.
        audit.record(conversation.user().telegramId(), "rsvps.export", key + " (" + attendees.size() + " in the file)");
        conversation.send(new OutgoingMessage.Document(conversation.chat().chatId(), key + "-rsvps.xlsx", workbook,
                translator.text("rsvps.caption", "title", title, "count", attendees.size())));
    }
}
