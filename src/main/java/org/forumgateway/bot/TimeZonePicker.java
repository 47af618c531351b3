package org.forumgateway.bot;

import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;
import org.forumgateway.users.Role;
import org.forumgateway.users.UserService;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** /timezone and its buttons: the configured cities, and "other" for any IANA zone typed by hand. */
final class TimeZonePicker implements CommandHandler, ButtonHandler {
    static final String PREFIX = "tz";
    private static final String OTHER = "other";

    private static final Pattern REGION_CITY = Pattern.compile(
            "(Africa|America|Antarctica|Arctic|Asia|Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)?");

    private final List<ZoneId> choices;
    private final ZoneId defaultZone;
    private final UserService users;
    private final Clock clock;

    TimeZonePicker(List<ZoneId> choices, ZoneId defaultZone, UserService users, Clock clock) {
        this.choices = List.copyOf(choices);
        this.defaultZone = defaultZone;
        this.users = users;
        this.clock = clock;
    }

    @Override
    public CommandSpec spec() {
        return new CommandSpec("timezone", Role.GUEST);
    }

    @Override
    public String prefix() {
        return PREFIX;
    }

    /** {@code /timezone} shows the picker; {@code /timezone Europe/Berlin} chooses directly. */
    @Override
    public void handle(Conversation conversation, String arguments) {
        String requested = arguments.strip();
        if (requested.isEmpty()) {
            show(conversation);
            return;
        }
        Optional<ZoneId> zone = parse(requested);
        if (zone.isEmpty()) {
            conversation.say("timezone.unknown", "zone", LanguagePicker.truncate(requested));
            return;
        }
        users.chooseTimeZone(conversation.user().telegramId(), zone.get());
        conversation.reply(chosenText(conversation.translator(), zone.get()));
    }

    @Override
    public void handle(Conversation conversation, ButtonContext press, String payload) {
        Translator translator = conversation.translator();
        if (OTHER.equals(payload)) {
            conversation.answer(press);
            conversation.say("timezone.other");
            return;
        }
        Optional<ZoneId> zone = choices.stream().filter(choice -> choice.getId().equals(payload)).findFirst();
        if (zone.isEmpty()) {
            conversation.answer(press, translator.text("button.expired"));
            return;
        }
        users.chooseTimeZone(conversation.user().telegramId(), zone.get());
        conversation.answer(press, label(translator, zone.get()));
        conversation.redraw(press, chosenText(translator, zone.get()), keyboard(translator, zone.get()));
    }

    void show(Conversation conversation) {
        Translator translator = conversation.translator();
        ZoneId current = conversation.user().timeZone().orElse(defaultZone);
        String text = translator.text("timezone.picker.prompt", "zone", label(translator, current));
        conversation.reply(text, keyboard(translator, current));
    }

    private String chosenText(Translator translator, ZoneId zone) {
        Instant now = clock.instant();
        return translator.text("timezone.chosen",
                "zone", label(translator, zone),
                "offset", DateTimes.utcOffset(now, zone),
                "time", DateTimes.time(now, zone, translator.locale()),
                "date", DateTimes.date(now, zone, translator.locale()));
    }

    private Keyboard keyboard(Translator translator, ZoneId current) {
        Instant now = clock.instant();
        List<Button> buttons = new ArrayList<>();
        for (ZoneId zone : choices) {
            String label = LanguagePicker.mark(zone.equals(current)) + label(translator, zone) + " · "
                    + DateTimes.utcOffset(now, zone);
            buttons.add(new Button(label, PREFIX + ":" + zone.getId()));
        }
        buttons.add(new Button(translator.text("timezone.button.other"), PREFIX + ":" + OTHER));
        return Keyboard.grid(buttons, 2);
    }

    static String label(Translator translator, ZoneId zone) {
        return ZoneNames.city(translator, zone);
    }

    /**
     * Region/City ids only ("Asia/Tashkent"): a fixed offset would be wrong half the year wherever clocks change, and
     * legacy ids (SystemV/EST5, US/Eastern, Etc/GMT+5) have no city to show.
     */
    private static Optional<ZoneId> parse(String text) {
        return ZoneId.getAvailableZoneIds().stream()
                .filter(id -> id.equalsIgnoreCase(text) && REGION_CITY.matcher(id).matches())
                .findFirst()
                .map(ZoneId::of);
    }
}
