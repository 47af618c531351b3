package org.forumgateway.bot;

import com.ibm.icu.util.ULocale;
import org.forumgateway.announcements.AnnouncementChanges;
import org.forumgateway.announcements.AnnouncementPins;
import org.forumgateway.announcements.AudienceTerms;
import org.forumgateway.chat.Button;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.delivery.Progress;
import org.forumgateway.i18n.DateTimes;
import org.forumgateway.i18n.DurationText;
import org.forumgateway.i18n.Html;
import org.forumgateway.i18n.Translator;
import org.forumgateway.i18n.ZoneNames;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.stream.Collectors;

/** How announcements look to staff: the audience in words, the progress bar, the final report. */
public final class AnnouncementViews {
    private static final int BAR = 10;

    private final CohortService cohorts;
    private final String defaultLocale;
    private final LongFunction<Optional<String>> groupNames;

    public AnnouncementViews(CohortService cohorts, String defaultLocale) {
        this(cohorts, defaultLocale, chat -> Optional.empty());
    }

    /** @param groupNames the title of a group the bot is in, by chat id, for audiences that name one */
    public AnnouncementViews(CohortService cohorts, String defaultLocale, LongFunction<Optional<String>> groupNames) {
        this.cohorts = cohorts;
        this.defaultLocale = defaultLocale;
        this.groupNames = groupNames;
    }

    /**
     * "Delegates · Kazakhstan · Russian": each kind of term, in the reader's language. HTML, to be passed on as such:
     * a group's or cohort's name is escaped here once, and passed as text it would be escaped again ("Q&amp;A").
     */
    public Html audience(AudienceTerms terms, Translator translator) {
        List<String> parts = new ArrayList<>();
        terms.roles().stream().sorted().forEach(role -> parts.add(translator.text("audience." + role)));
        terms.cohorts().stream().sorted().forEach(number -> parts.add(cohorts.find(number)
                .map(cohort -> Html.escape(cohort.name().in(translator.locale(), defaultLocale)))
                .orElse(translator.text("audience.cohort", "number", number))));
        terms.countries().stream().sorted().forEach(code -> parts.add(
                Html.escape(InviteCommand.countryName(code, translator))));
        terms.events().forEach(event -> parts.add(translator.text("audience.event", "key", event.key(),
                "status", event.status().map(status -> status.code()).orElse("any"))));
        terms.languages().stream().sorted().forEach(code -> parts.add(
                Html.escape(new ULocale(code).getDisplayLanguage(new ULocale(translator.locale())))));
        if (terms.people() && parts.isEmpty()) {
            parts.add(translator.text("audience.all"));
        }
        if (terms.allGroups()) {
            parts.add(translator.text("audience.groups"));
        }
        // Named beside every confirmed group too: a named group may not be one of them.
        terms.groups().stream().sorted().forEach(chat -> parts.add(translator.text("audience.group",
                "chat", groupNames.apply(chat).orElse(String.valueOf(chat)))));
        return new Html(String.join(" · ", parts));
    }

    /** Send now, Schedule, Cancel: what a draft's summary offers, and a scheduled one that was missed. */
    public List<Button> draftButtons(long id, Translator translator) {
        return List.of(
                new Button(translator.text("announce.button.sendNow"), "ann:s:" + id),
                new Button(translator.text("announce.button.schedule"), "ann:t:" + id),
                new Button(translator.text("announce.button.cancel"), "ann:x:" + id));
    }

    /** What a missed announcement's notice offers: a look at it as it stands first, then what a draft offers. */
    public Keyboard missedButtons(long id, Translator translator) {
        return new Keyboard(List.of(
                List.of(new Button(translator.text("announce.button.preview"), "ann:p:" + id)),
                draftButtons(id, translator)));
    }

    /**
     * Why a scheduled announcement was not sent: its time passed while the bot was not running (or a backup from
     * before it was restored), and what is now out of date must not go out unasked.
     */
    public String missed(long id, Instant due, ZoneId zone, Translator translator) {
        return translator.text("announce.missed", "id", id, "date", DateTimes.date(due, zone, translator.locale()),
                "time", DateTimes.time(due, zone, translator.locale()), "zone", ZoneNames.city(translator, zone));
    }

    public String progress(long id, Progress progress, Translator translator) {
        int total = Math.max(1, progress.total());
        int percent = progress.done() * 100 / total;
        int filled = progress.done() * BAR / total;
        String bar = "▓".repeat(filled) + "░".repeat(BAR - filled);
        return translator.text("announce.progress", "id", id, "bar", bar, "percent", percent,
                "done", progress.done(), "total", progress.total(), "sent", progress.sent(),
                "blocked", progress.blocked(), "failed", progress.failed());
    }

    /**
     * A line for the progress of a scheduled announcement whose messages wait for their readers' quiet hours: the
     * bar stands still meanwhile, maybe for hours. Empty when none wait.
     */
    public String held(Outbox.Held held, ZoneId zone, Translator translator) {
        return held.until().map(until -> "\n" + translator.text("announce.progress.held", "count", held.count(),
                "date", DateTimes.date(until, zone, translator.locale()),
                "time", DateTimes.time(until, zone, translator.locale()), "city", ZoneNames.city(translator, zone)))
                .orElse("");
    }

    public String report(long id, Progress progress, Duration took, Translator translator) {
        return translator.text("announce.report", "id", id, "duration", DurationText.format(took, translator),
                "sent", progress.sent(), "blocked", progress.blocked(), "failed", progress.failed(),
                "cancelled", progress.cancelled(), "total", progress.total(),
                "failures", failures(progress, translator));
    }

    /** How pinning went in the groups an announcement reached. */
    public String pinReport(AnnouncementPins.Counts pins, Translator translator) {
        return translator.text("announce.report.pins", "pinned", pins.pinned(), "groups", pins.groups(),
                "noRight", pins.noRight(), "failed", pins.failed());
    }

    /** An edit's or recall's progress: how many of the messages it changes are done. */
    public String changeProgress(AnnouncementChanges.Change change, Progress progress, Translator translator) {
        int total = Math.max(1, progress.total());
        int filled = progress.done() * BAR / total;
        return translator.text("announcements.change.progress", "kind", kind(change), "id", change.announcementId(),
                "bar", "▓".repeat(filled) + "░".repeat(BAR - filled), "percent", progress.done() * 100 / total,
                "done", progress.done(), "total", progress.total());
    }

    /** An edit's or recall's report: changed, too old to change, failed and why. */
    public String changeReport(AnnouncementChanges.Change change, Progress progress, Duration took,
                               Translator translator) {
        return translator.text("announcements.change.report", "kind", kind(change), "id", change.announcementId(),
                "duration", DurationText.format(took, translator), "changed", progress.sent(),
                "total", progress.total() + change.tooOld(), "tooOld", change.tooOld(),
                "failed", progress.failed() + progress.blocked(), "failures", failures(progress, translator));
    }

    private static String kind(AnnouncementChanges.Change change) {
        return change.kind() == AnnouncementChanges.Kind.EDIT ? "edit" : "delete";
    }

    private static Html failures(Progress progress, Translator translator) {
        String failures = progress.failures().entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(5)
                .map(entry -> translator.text("announce.report.failure", "reason", shorten(entry.getKey()),
                        "count", entry.getValue()))
                .collect(Collectors.joining("\n"));
        return new Html(failures.isEmpty() ? "" : "\n" + failures);
    }

    private static String shorten(String reason) {
        return LanguagePicker.shorten(reason, 160);
    }
}
