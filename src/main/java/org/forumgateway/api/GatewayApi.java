package org.forumgateway.api;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.config.AppConfig;
import org.forumgateway.web.Method;
import org.forumgateway.web.WebServer;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.function.LongSupplier;

/**
 * The HTTP API for other systems under {@code /v1}: routes, each behind a key with the right scope and the key's
 * rate limit. Built by the composition root, mounted on its HTTP server.
 */
public final class GatewayApi {
    /** Bodies of POST /v1/messages: texts in several languages, split over many messages, fit easily. */
    public static final int MAX_MESSAGE_BODY = 256 * 1024;

    private final ApiGate gate;
    private final MessageEndpoints messageEndpoints;
    private final IdempotencyStore idempotency;

    public GatewayApi(AppConfig.Gateway settings, Jdbi jdbi, ApiKeys keys, ApiMessages messages,
                      AudienceResolver audiences, Clock clock, LongSupplier nanoTime) {
        this.gate = new ApiGate(keys, new RateLimiter(settings.ratePerSecond(), settings.burst(), nanoTime));
        this.idempotency = new IdempotencyStore(jdbi, clock);
        this.messageEndpoints = new MessageEndpoints(messages, new MessageRequestParser(audiences, clock), idempotency);
    }

    public void mount(WebServer web) {
        web.route(Method.POST, "/v1/messages", MAX_MESSAGE_BODY, gate.guard(Scope.SEND, messageEndpoints::send));
        web.route(Method.GET, "/v1/messages", gate.guard(Scope.READ, messageEndpoints::list));
        web.route(Method.GET, "/v1/messages/{id}", gate.guard(Scope.READ, messageEndpoints::get));
        web.route(Method.DELETE, "/v1/messages/{id}", gate.guard(Scope.SEND, messageEndpoints::cancel));
        web.route(Method.GET, "/v1/messages/{id}/deliveries", gate.guard(Scope.READ, messageEndpoints::deliveries));
    }

    /** Forgets idempotency records older than a day: retries come within minutes. */
    public void purge() {
        idempotency.purge(java.time.Duration.ofDays(1));
    }
}
