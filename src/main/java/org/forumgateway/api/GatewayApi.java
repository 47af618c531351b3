package org.forumgateway.api;

import org.forumgateway.announcements.AudienceResolver;
import org.forumgateway.audit.AuditLog;
import org.forumgateway.cohorts.CohortService;
import org.forumgateway.config.AppConfig;
import org.forumgateway.i18n.MessageCatalog;
import org.forumgateway.users.PersonErasure;
import org.forumgateway.users.UserService;
import org.forumgateway.web.Method;
import org.forumgateway.web.WebResponse;
import org.forumgateway.web.WebServer;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The HTTP API for other systems under {@code /v1}: routes, each behind a key with the right scope and the key's
 * rate limit. Built by the composition root, mounted on its HTTP server.
 */
public final class GatewayApi {
    /** Bodies of POST /v1/messages: texts in several languages, split over many messages, fit easily. */
    public static final int MAX_MESSAGE_BODY = 256 * 1024;
    private static final int MAX_LINK_BODY = 4 * 1024;

    /** The OpenAPI 3.1 description, public: other systems' developers read it before they have a key. */
    public static final String OPENAPI_PATH = "/v1/openapi.json";

    private final WebResponse openApi = WebResponse.json(200, openApiDocument())
            .withHeader("Cache-Control", "public, max-age=300");
    private final ApiGate gate;
    private final MessageEndpoints messageEndpoints;
    private final ScheduleEndpoints scheduleEndpoints;
    private final IdempotencyStore idempotency;
    private final Function<Function<String, Optional<String>>, PeopleEndpoints> people;

    public GatewayApi(AppConfig config, Jdbi jdbi, ApiKeys keys, ApiMessages messages, AudienceResolver audiences,
                      PersonLinks links, CohortService cohorts, UserService users, MessageCatalog catalog,
                      Clock clock, LongSupplier nanoTime, PersonErasure erasure, AuditLog audit) {
        AppConfig.Gateway settings = config.gateway();
        this.gate = new ApiGate(keys, new RateLimiter(settings.ratePerSecond(), settings.burst(), nanoTime));
        this.idempotency = new IdempotencyStore(jdbi, clock);
        this.messageEndpoints = new MessageEndpoints(messages, new MessageRequestParser(audiences,
                config.schedule().countries(), catalog.locales(), clock), idempotency);
        this.scheduleEndpoints = new ScheduleEndpoints(jdbi);
        this.people = deepLink -> new PeopleEndpoints(links, deepLink, config.schedule().countries(), cohorts, users,
                catalog, config.defaultTimeZone(), jdbi, erasure, audit);
    }

    /**
     * @param deepLink the t.me link that starts the bot with a payload; empty until the bot has identified itself
     *                 (getMe), which needs the Bot API
     */
    public void mount(WebServer web, Function<String, Optional<String>> deepLink) {
        web.route(Method.POST, "/v1/messages", MAX_MESSAGE_BODY,
                gate.guardJson(Scope.SEND, MessageEndpoints.SEND_PARAMETERS, messageEndpoints::send));
        web.route(Method.GET, "/v1/messages",
                gate.guard(Scope.READ, MessageEndpoints.LIST_PARAMETERS, messageEndpoints::list));
        web.route(Method.GET, "/v1/messages/{id}", gate.guard(Scope.READ, Set.of(), messageEndpoints::get));
        web.route(Method.DELETE, "/v1/messages/{id}", gate.guard(Scope.SEND, Set.of(), messageEndpoints::cancel));
        web.route(Method.GET, "/v1/messages/{id}/deliveries",
                gate.guard(Scope.READ, Cursor.PAGE_PARAMETERS, messageEndpoints::deliveries));
        PeopleEndpoints peopleEndpoints = people.apply(deepLink);
        web.route(Method.POST, "/v1/links", MAX_LINK_BODY,
                gate.guardJson(Scope.LINKS, Set.of(), peopleEndpoints::createLink));
        web.route(Method.GET, "/v1/people/{externalId}", gate.guard(Scope.READ, Set.of(), peopleEndpoints::person));
        web.route(Method.DELETE, "/v1/people/{externalId}", gate.guard(Scope.LINKS, Set.of(), peopleEndpoints::erase));
        web.route(Method.GET, "/v1/events", gate.guard(Scope.READ, Set.of(), scheduleEndpoints::events));
        web.route(Method.GET, "/v1/events/{key}/rsvps",
                gate.guard(Scope.READ, Cursor.PAGE_PARAMETERS, scheduleEndpoints::rsvps));
        web.get(OPENAPI_PATH, request -> openApi);
    }

    /** The hand-written document in the jar, {@code api/openapi.json}. */
    public static String openApiDocument() {
        try (InputStream in = GatewayApi.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets idempotency records older than a day: retries come within minutes. */
    public void purge() {
        idempotency.purge(Duration.ofDays(1));
    }
}
