package org.forumgateway.api;

import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

/** Answers one API route for a caller whose key and scope the gate has checked. */
@FunctionalInterface
interface ApiHandler {
    WebResponse handle(WebRequest request, ApiKey caller);
}
