package org.forumgateway.events;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.bot.EventViews;
import org.forumgateway.delivery.Notifications;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.rsvp.RsvpService;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Loads the events file, gives seats that a larger (or removed) capacity freed to the waitlist, tells the people
 * who moved up, and tells everyone who answered an event that moved or was cancelled: all in one transaction, so
 * a crash leaves either the old schedule and no notices, or the new one and all of them.
 */
public final class ScheduleReloader {
    private static final Logger log = LoggerFactory.getLogger(ScheduleReloader.class);
    /** A swapped file can leave hundreds of events out: the log names the first ones, and how many. */
    private static final int LOGGED_KEYS = 15;
    private final Jdbi jdbi;
    private final EventService events;
    private final RsvpService rsvps;
    private final EventChangeNotices changes;
    private final List<Runnable> afterReload = new CopyOnWriteArrayList<>();
    private final List<EventChanged> inReload = new CopyOnWriteArrayList<>();

    /** What follows from a change of an event, in the transaction of the reload that changes it. */
    @FunctionalInterface
    public interface EventChanged {
        void changed(Handle handle, Event before, Event after);
    }

    /** @param rsvps tells promoted users itself, in the reload's transaction */
    public ScheduleReloader(Jdbi jdbi, EventService events, RsvpService rsvps, AudienceResolver audiences,
                            Notifications notifications, MessageCatalog catalog, EventViews views) {
        this.jdbi = jdbi;
        this.events = events;
        this.rsvps = rsvps;
        this.changes = new EventChangeNotices(audiences, notifications, catalog, views);
    }

    /** Tells {@code listener} of every event a reload changes, in the reload's transaction. */
    public void inEachReload(EventChanged listener) {
        inReload.add(listener);
    }

    /** Runs {@code listener} after every reload that succeeded, once it is committed. */
    public void afterEachReload(Runnable listener) {
        afterReload.add(listener);
    }

    /** @throws EventFileException when the file is missing or malformed; nothing changes then */
    public ReloadReport reload() {
        EventFile parsed = events.read();
        ReloadReport loaded = jdbi.inTransaction(handle -> {
            ReloadReport report = events.apply(handle, parsed);
            // Told first: "will take place after all" before "a seat is yours" to someone on the waitlist.
            changes.tell(handle, report);
            for (ReloadReport.Change change : report.changes()) {
                if (change.before().isEmpty()) {
                    continue; // a new event: nobody answered it yet
                }
                Event before = change.before().get();
                Event after = change.after();
                if (capacityGrew(before, after) || reinstated(before, after)
                        || !before.audience().equals(after.audience())) {
                    rsvps.fillFreeSeats(handle, after.key());
                }
                for (EventChanged listener : inReload) {
                    listener.changed(handle, before, after);
                }
            }
            return report;
        });
        if (!loaded.missing().isEmpty()) {
            List<String> missing = loaded.missing();
            log.warn("Events no longer in the events file stay as they were (set cancelled: true to call one off), "
                    + "{} in all: {}{}", missing.size(), String.join(", ", loaded.missing(LOGGED_KEYS)),
                    missing.size() > LOGGED_KEYS ? ", …" : "");
        }
        for (Runnable listener : afterReload) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                // The schedule is loaded and committed: a listener's failure must not report the reload as failed.
                log.error("After the reload of the schedule", e);
            }
        }
        return loaded;
    }

    /**
     * Seats freed while it was cancelled (answers changed, capacity grew) go to the waitlist once it is back; so do
     * seats that waited for someone the event is for again after its audience changed.
     */
    private static boolean reinstated(Event before, Event after) {
        return before.cancelled() && !after.cancelled();
    }

    private static boolean capacityGrew(Event before, Event after) {
        return before.capacity().isPresent()
                && after.capacity().map(capacity -> capacity > before.capacity().get()).orElse(true);
    }
}
