package org.forumgateway.announcements;

import org.forumgateway.bot.AnnouncementViews;
import org.forumgateway.chat.Keyboard;
import org.forumgateway.chat.Messenger;
import org.forumgateway.chat.OutgoingMessage;
import org.forumgateway.delivery.DeliveryLimits;
import org.forumgateway.delivery.Progress;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.i18n.Translator;
import org.forumgateway.scheduling.Scheduling;
import org.forumgateway.users.Role;
import org.forumgateway.users.User;
import org.forumgateway.users.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Keeps staff informed while an announcement goes out: edits their progress message as often as a small share of the
 * delivery limit allows (see {@link ProgressEdits}), then sends the final report. Also starts scheduled announcements
 * when the scheduler calls (and again, if that start failed), and rebuilds their triggers from the database at start.
 */
public final class AnnouncementReporter {
    /** How often progress is looked at: the most often a progress message is edited, whatever the limit. */
    public static final Duration PERIOD = Duration.ofSeconds(3);
    private static final String PROGRESS_JOB = "announcement-progress";
    /** How long after its time a scheduled announcement not started counts as a failed start, to be retried. */
    static final Duration OVERDUE = Duration.ofSeconds(10);
    /**
     * How late a scheduled announcement may still start. Later, the bot was not running at its time (or a backup
     * from before it was restored): "registration closes today" two days on would mislead, so it waits for staff.
     */
    static final Duration MISSED = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(AnnouncementReporter.class);

    private final AnnouncementService announcements;
    private final AnnouncementViews views;
    private final UserService users;
    private final MessageCatalog catalog;
    private final Messenger messenger;
    private final Scheduling scheduling;
    private final Clock clock;
    private final ProgressEdits edits;
    private final ZoneId defaultZone;

    /**
     * @param limits      the delivery limits, whose overall rate the progress edits take a small share of
     * @param defaultZone the zone of staff who chose none, for the times in progress messages
     */
    public AnnouncementReporter(AnnouncementService announcements, AnnouncementViews views, UserService users,
                                MessageCatalog catalog, Messenger messenger, Scheduling scheduling,
                                DeliveryLimits limits, Clock clock, ZoneId defaultZone) {
        this.announcements = announcements;
        this.views = views;
        this.users = users;
        this.catalog = catalog;
        this.messenger = messenger;
        this.scheduling = scheduling;
        this.clock = clock;
        this.edits = new ProgressEdits(limits.perSecond(), clock);
        this.defaultZone = defaultZone;
    }

    /**
     * Completes announcements a crash interrupted while they were being queued, then registers the progress task
     * and the triggers of every scheduled announcement stored.
     */
    public void start() {
        announcements.resumeInterrupted();
        scheduling.every(PROGRESS_JOB, PERIOD, this::report);
        announcements.scheduled().forEach(announcement -> scheduleStart(announcement.id(),
                announcement.scheduledAt().orElse(clock.instant())));
    }

    /**
     * Runs a round now, on a scheduler thread: the delivery engine has answered everything it could send, so an
     * announcement or an edit may have just ended, and its report need not wait up to {@link #PERIOD}.
     */
    public void reportSoon() {
        scheduling.runNow(PROGRESS_JOB);
    }

    public void scheduleStart(long id, Instant at) {
        scheduling.at(jobName(id), at, () -> announcements.find(id).ifPresent(this::startScheduled));
    }

    public void unschedule(long id) {
        scheduling.cancel(jobName(id));
    }

    /**
     * A staff member's "Send now": it goes now, quiet hours or not; empty when it had already started or was
     * cancelled.
     *
     * @param staffId who pressed Send now; the progress and the report go to their private chat (the same id)
     */
    public Optional<Announcement> startNow(long id, long staffId, Translator translator) {
        return announcements.start(id, progressMessage(id, staffId, translator), false, staffId);
    }

    /**
     * "Written by …": drafts are shared by the staff (any of them may send or cancel one), so previews and reports
     * say whose it is.
     */
    public String authorLine(Announcement announcement, Translator translator) {
        String name = users.find(announcement.createdBy()).map(User::displayName)
                .orElse(String.valueOf(announcement.createdBy()));
        return translator.text("announce.author", "name", name); // the translator escapes it
    }

    /**
     * The scheduler's start, in the name of whoever scheduled it (the audit log's actor, and the chat that gets the
     * progress and the report): unless urgent, people in their quiet hours get it when those end.
     */
    private void startScheduled(Announcement announcement) {
        if (announcement.status() != Announcement.Status.SCHEDULED) {
            return; // started, cancelled or returned to the drafts since the trigger was set
        }
        long id = announcement.id();
        long sender = announcement.scheduledSender();
        Optional<Instant> due = announcement.scheduledAt();
        if (due.isPresent() && Duration.between(due.get(), clock.instant()).compareTo(MISSED) > 0) {
            // Whoever scheduled it decides; erased since, or no longer staff, the administrators do.
            List<Long> deciding = users.find(sender).filter(user -> user.role().atLeast(Role.STAFF))
                    .map(user -> List.of(user.telegramId()))
                    .orElseGet(() -> users.administrators().stream().sorted().toList());
            List<OutgoingMessage.Send> notices = deciding.stream().map(chat -> {
                Optional<User> reader = users.find(chat);
                Translator translator = translatorFor(reader);
                return new OutgoingMessage.Send(chat, views.missed(id, due.get(),
                        reader.flatMap(User::timeZone).orElse(defaultZone), translator),
                        views.missedButtons(id, translator));
            }).toList();
            if (announcements.returnMissed(id, sender, due.get(), notices)) {
                unschedule(id); // its trigger, if this round came first, must not start the draft later
                log.warn("Scheduled announcement #{} was due at {}, {} min ago: not sent, back to the drafts", id,
                        due.get(), Duration.between(due.get(), clock.instant()).toMinutes());
            }
            return;
        }
        announcements.startScheduled(id, progressMessage(id, sender, translatorFor(sender)), !announcement.urgent(),
                sender);
    }

    /**
     * Starts scheduled announcements still waiting {@link #OVERDUE} after their time. Their one-shot trigger fired
     * and failed (the database busy or full at that minute), and Quartz does not fire it again: without this they
     * waited for a restart. Starting twice is harmless: only one start marks it sending.
     */
    private void startOverdue() {
        Instant due = clock.instant().minus(OVERDUE);
        for (Announcement announcement : announcements.scheduled()) {
            if (announcement.scheduledAt().filter(at -> !at.isAfter(due)).isEmpty()) {
                continue;
            }
            try {
                startScheduled(announcement);
            } catch (RuntimeException e) {
                log.warn("Scheduled announcement #{} could not start yet: {}", announcement.id(), e.toString());
            }
        }
    }

    private static OutgoingMessage.Send progressMessage(long id, long staffChat, Translator translator) {
        return new OutgoingMessage.Send(staffChat, translator.text("announce.sending", "id", id), Keyboard.NONE);
    }

    /**
     * One round: start scheduled announcements whose start failed, edit the progress messages whose turn it is, and
     * report the announcements that are done.
     */
    void report() {
        startOverdue();
        List<Announcement> sending = announcements.sending();
        AnnouncementChanges changes = announcements.changes();
        List<AnnouncementChanges.Change> changing = changes.sending();
        int showing = sending.size() + changing.size();
        for (Announcement announcement : sending) {
            Optional<Progress> progress = announcements.progress(announcement);
            if (progress.isEmpty()) {
                continue;
            }
            // In the language of whoever follows it (who pressed Send now, or scheduled it), not the author's.
            long chat = announcement.progressChat().orElse(announcement.createdBy());
            // Read once: their language, their zone, and whether they are still known (erased, they are sent nothing
            // more; the announcement goes on without its progress).
            Optional<User> follower = users.find(chat);
            Translator translator = translatorFor(follower);
            // Only a scheduled announcement waits for quiet hours (reading it costs a look at every row still queued).
            String text = views.progress(announcement.id(), progress.get(), translator)
                    + (announcement.scheduledAt().isPresent() && !announcement.urgent()
                    ? views.held(announcements.held(announcement),
                    follower.flatMap(User::timeZone).orElse(defaultZone), translator) : "");
            Optional<Integer> messageId = announcements.progressMessageId(announcement);
            String key = "announcement-" + announcement.id();
            // Everything queued out is not the end while the rest of a large audience is still being queued.
            boolean allOut = progress.get().isFinished() && announcement.recipients().isPresent();
            boolean followed = follower.isPresent();
            if (followed && messageId.isPresent() && edits.due(key, text, allOut, showing)) {
                messenger.send(new OutgoingMessage.Edit(chat, messageId.get(), text, Keyboard.NONE));
            }
            // Read after the progress: a pin is queued with its message's answer, so every pin there will be is in.
            Optional<AnnouncementPins.Counts> pins = announcement.pinInGroups() && progress.get().isFinished()
                    ? Optional.of(announcements.pinCounts(announcement)) : Optional.empty();
            if (progress.get().isFinished() && pins.map(AnnouncementPins.Counts::settled).orElse(true)
                    && announcements.finish(announcement.id())) {
                edits.forget(key);
                Duration took = Duration.between(announcement.startedAt().orElse(announcement.createdAt()),
                        clock.instant());
                if (followed) {
                    messenger.send(new OutgoingMessage.Send(chat,
                            views.report(announcement.id(), progress.get(), took, translator)
                                    + pins.map(counts -> "\n" + views.pinReport(counts, translator)).orElse("")
                                    + "\n" + authorLine(announcement, translator), Keyboard.NONE));
                }
            }
        }
        reportChanges(changes, changing, showing);
    }

    /** The same for edits and recalls of sent announcements. */
    private void reportChanges(AnnouncementChanges changes, List<AnnouncementChanges.Change> changing, int showing) {
        for (AnnouncementChanges.Change change : changing) {
            Optional<Progress> progress = changes.progress(change);
            if (progress.isEmpty()) {
                continue;
            }
            Translator translator = translatorFor(change.createdBy());
            long chat = change.progressChat().orElse(change.createdBy());
            String text = views.changeProgress(change, progress.get(), translator);
            Optional<Integer> messageId = changes.progressMessageId(change);
            String key = "change-" + change.id();
            boolean followed = users.find(chat).isPresent();
            if (followed && messageId.isPresent() && edits.due(key, text, progress.get().isFinished(), showing)) {
                messenger.send(new OutgoingMessage.Edit(chat, messageId.get(), text, Keyboard.NONE));
            }
            if (changes.complete(change, progress.get()) && changes.finish(change.id())) {
                edits.forget(key);
                Duration took = Duration.between(change.startedAt(), clock.instant());
                if (followed) {
                    messenger.send(new OutgoingMessage.Send(chat, views.changeReport(change, progress.get(), took,
                            translator), Keyboard.NONE));
                }
            }
        }
    }

    private Translator translatorFor(long userId) {
        return translatorFor(users.find(userId));
    }

    private Translator translatorFor(Optional<User> user) {
        return user.map(found -> catalog.translatorFor(found.languagePreference()))
                .orElseGet(() -> catalog.translator(catalog.defaultLocale()));
    }

    private static String jobName(long id) {
        return "announcement-" + id;
    }
}
