package org.forumgateway.events;

import org.forumgateway.cohorts.Cohort;
import org.forumgateway.cohorts.CohortDao;
import org.forumgateway.reminders.AutomationDao;
import org.forumgateway.users.User;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.Set;

/** The schedule: loading the events file, and the events a user may see. Thread-safe. */
public final class EventService {
    private final Jdbi jdbi;
    private final Path file;
    private final Clock clock;
    private final EventDao events = new EventDao();
    private final CohortDao cohorts = new CohortDao();

    private final List<Duration> defaultReminders;

    public EventService(Jdbi jdbi, Path file, Clock clock) {
        this(jdbi, file, clock, List.of(Duration.ofHours(24), Duration.ofHours(1)));
    }

    /** @param defaultReminders reminder offsets of events whose entry lists none */
    public EventService(Jdbi jdbi, Path file, Clock clock, List<Duration> defaultReminders) {
        this.jdbi = jdbi;
        this.file = file;
        this.clock = clock;
        this.defaultReminders = List.copyOf(defaultReminders);
    }

    /**
     * Reads the events file and upserts its cohorts and events in one transaction. Nothing is deleted, so
     * RSVPs survive any edit; reminders that a moved event left far behind are owed again.
     *
     * @throws EventFileException when the file is missing or malformed; nothing is changed then
     */
    public ReloadReport reload() {
        EventFile parsed = read();
        return jdbi.inTransaction(handle -> apply(handle, parsed));
    }

    /** Upserts the cohorts and events of a file read before, inside the caller's transaction. */
    ReloadReport apply(Handle handle, EventFile parsed) {
        Instant now = clock.instant();
        for (Cohort cohort : parsed.cohorts()) {
            cohorts.upsert(handle, cohort, now);
        }
        List<ReloadReport.Change> changes = new ArrayList<>();
        for (Event event : parsed.events()) {
            Optional<Event> before = events.upsert(handle, event, now);
            events.replaceReminderOffsets(handle, event.key(),
                    event.reminders().isEmpty() ? defaultReminders : event.reminders());
            if (before.filter(event::equals).isEmpty()) {
                changes.add(new ReloadReport.Change(before, event));
            }
            if (before.filter(stored -> !stored.startsAt().equals(event.startsAt())).isPresent()) {
                AutomationDao.forgetOvertakenReminders(handle, event, now);
            }
        }
        Set<String> inFile = parsed.events().stream().map(Event::key).collect(Collectors.toSet());
        return new ReloadReport(parsed.events().size(), parsed.cohorts().size(), changes, now,
                events.notEndedExcept(handle, inFile, now));
    }

    /** Reads and checks the events file. @throws EventFileException when it is missing or malformed */
    EventFile read() {
        EventFileParser parser = new EventFileParser(file.getFileName().toString());
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parser.parse(reader);
        } catch (NoSuchFileException e) {
            throw EventFileException.ofFile(file.getFileName().toString(), "notFound", Map.of(),
                    "file not found (EVENTS_FILE)");
        } catch (IOException e) {
            throw EventFileException.ofFile(file.getFileName().toString(), "unreadable",
                    Map.of("detail", String.valueOf(e.getMessage())), "cannot be read: " + e.getMessage());
        }
    }

    /** Whether any event was ever loaded: an installation that has run with a schedule. */
    public boolean anyLoaded() {
        return jdbi.withHandle(events::any);
    }

    /** An event {@code user} may see; empty for unknown keys and for events hidden from them. */
    public Optional<Event> visible(String key, User user) {
        return jdbi.withHandle(handle -> visible(handle, key, user));
    }

    /** The same, inside the caller's transaction. */
    public Optional<Event> visible(Handle handle, String key, User user) {
        return events.find(handle, key).filter(event -> event.audience().admits(user));
    }

    /** One page of the upcoming events {@code user} may see, and how many there are in all. */
    public EventPage upcoming(User user, int page, int pageSize) {
        Instant now = clock.instant();
        return jdbi.withHandle(handle -> {
            int total = events.countUpcomingVisible(handle, user, now);
            int lastPage = Math.max(0, (total - 1) / pageSize);
            int shown = Math.max(0, Math.min(page, lastPage));
            return new EventPage(events.upcomingVisible(handle, user, now, shown * pageSize, pageSize), shown,
                    lastPage + 1, total);
        });
    }

    public List<Event> upcomingForCohort(int cohort, int limit) {
        return jdbi.withHandle(handle -> events.upcomingForCohort(handle, cohort, clock.instant(), limit));
    }
}
