package org.forumgateway.events;

import java.util.List;

/** One page of an event list: {@code page} counts from 0. */
public record EventPage(List<Event> events, int page, int pages, int total) {
    public EventPage {
        events = List.copyOf(events);
    }
}
