package org.forumgateway.web;

import java.util.Optional;

/**
 * Answers one route's requests. Runs on the HTTP server's bounded pool, after the whole body has arrived, so it
 * may block briefly (a SQLite query) but must not wait on anything slow. An exception becomes a 500 problem.
 */
@FunctionalInterface
public interface WebHandler {
    WebResponse handle(WebRequest request);

    /**
     * A refusal decided from the headers alone, before a request's body is read (a client without a key or secret
     * must not make the server hold its body); empty to go on. Called once for every request, with a body or without,
     * before {@link #handle}, which still runs its own checks. The default refuses nothing.
     */
    default Optional<WebResponse> refuseBeforeBody(WebRequest.Headers headers) {
        return Optional.empty();
    }
}
