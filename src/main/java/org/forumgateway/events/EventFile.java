package org.forumgateway.events;

import org.forumgateway.cohorts.Cohort;

import java.util.List;

/** What the events file publishes: the events and the cohorts. */
public record EventFile(List<Event> events, List<Cohort> cohorts) {
    public EventFile {
        events = List.copyOf(events);
        cohorts = List.copyOf(cohorts);
    }
}
