package org.forumgateway.web;

import java.time.Duration;

/** Told of each answer the HTTP server gives. */
@FunctionalInterface
public interface AnsweredListener {
    /**
     * @param route the pattern of the route that took the request (such as {@code /calendar/{token}.ics}), or
     *              {@code unmatched}: never a raw path
     * @param took  from the request's arrival (its first bytes read) to its answer handed to the server to send
     */
    void answered(String route, int status, Duration took);
}
