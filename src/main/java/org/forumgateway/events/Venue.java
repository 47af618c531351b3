package org.forumgateway.events;

import java.util.Optional;

/** Where an event takes place. */
public record Venue(String name, Optional<String> address) {
}
