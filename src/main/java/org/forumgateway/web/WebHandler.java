package org.forumgateway.web;

/**
 * Answers one route's requests. Runs on the HTTP server's bounded pool, after the whole body has arrived, so it
 * may block briefly (a SQLite query) but must not wait on anything slow. An exception becomes a 500 problem.
 */
@FunctionalInterface
public interface WebHandler {
    WebResponse handle(WebRequest request);
}
