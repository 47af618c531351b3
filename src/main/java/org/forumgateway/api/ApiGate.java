package org.forumgateway.api;

import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * What every API request passes before its handler: a bearer key (401 without a valid one), the route's scope
 * (403), the key's rate limit and requests under way (429 with Retry-After), a JSON body's media type (415), the
 * route's query parameters (400 for any other). A {@link Problem.Raised} from the handler becomes its problem.
 * Keys never reach a log or an answer. Thread-safe.
 */
final class ApiGate {
    private static final String BEARER = "bearer ";

    /**
     * Requests one key may have under way at once; beyond, 429. The rate limit counts requests, not their cost: a
     * key within its rate could still hold every one of the server's ~30 request threads (shared with Telegram's
     * pushes and /healthz) with slow requests, a dry run to everyone, say. Half of them is left to the rest.
     */
    static final int MAX_IN_FLIGHT_PER_KEY = 16;

    private final ApiKeys keys;
    private final RateLimiter limiter;
    private final ConcurrentHashMap<String, Semaphore> inFlight = new ConcurrentHashMap<>();

    ApiGate(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    /** A route without a body, taking only the query {@code parameters}. */
    WebHandler guard(Scope scope, Set<String> parameters, ApiHandler handler) {
        return guard(scope, false, parameters, handler);
    }

    /** A route whose body is a JSON object, taking only the query {@code parameters}. */
    WebHandler guardJson(Scope scope, Set<String> parameters, ApiHandler handler) {
        return guard(scope, true, parameters, handler);
    }

    private WebHandler guard(Scope scope, boolean json, Set<String> parameters, ApiHandler handler) {
        return new WebHandler() {
            /**
             * A request without a valid key, with one lacking the scope, or over the key's rate, is refused before
             * its body is read: a key sending faster than its rate cannot hold bodies in memory meanwhile. So is a
             * body that is not said to be JSON.
             */
            @Override
            public Optional<WebResponse> refuseBeforeBody(WebRequest.Headers headers) {
                Admission admission = admit(scope, headers.first("Authorization"));
                if (admission.refusal().isPresent()) {
                    return admission.refusal();
                }
                Duration wait = limiter.acquire(admission.caller().orElseThrow().name());
                if (!wait.isZero()) {
                    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                    return Optional.of(Problem.of(429, Problem.RATE_LIMITED, "Too many requests with this key; retry "
                            + "after " + seconds + " s.").response().withHeader("Retry-After", String.valueOf(seconds)));
                }
                if (json && !JsonMediaType.matches(headers.first("Content-Type"))) {
                    return Optional.of(Problem.of(415, Problem.UNSUPPORTED_MEDIA_TYPE,
                            "Send the body as JSON, with 'Content-Type: application/json' (UTF-8).").response());
                }
                return Optional.empty();
            }

            /** Called after {@link #refuseBeforeBody} admitted the request (and took its token from the rate). */
            @Override
            public WebResponse handle(WebRequest request) {
                Admission admission = admit(scope, request.header("Authorization"));
                if (admission.refusal().isPresent()) {
                    return admission.refusal().get();
                }
                ApiKey caller = admission.caller().orElseThrow();
                List<Problem.ParameterError> unexpected = unexpected(request.query(), parameters);
                if (!unexpected.isEmpty()) {
                    return Problem.invalidParameters(unexpected).response();
                }
                Semaphore permits = inFlight.computeIfAbsent(caller.name(), name -> new Semaphore(MAX_IN_FLIGHT_PER_KEY));
                if (!permits.tryAcquire()) {
                    return Problem.of(429, Problem.RATE_LIMITED, "Too many requests with this key under way at once (at "
                            + "most " + MAX_IN_FLIGHT_PER_KEY + "); retry after 1 s.").response()
                            .withHeader("Retry-After", "1");
                }
                try {
                    return handler.handle(request, caller);
                } catch (Problem.Raised raised) {
                    return raised.problem().response();
                } finally {
                    permits.release();
                }
            }
        };
    }

    /**
     * Query parameters the route does not take, or takes once and was given more often. A misspelt one would
     * otherwise be ignored: {@code ?dryrun=true} would send for real, {@code ?state=done} list everything.
     */
    static List<Problem.ParameterError> unexpected(Map<String, List<String>> query, Set<String> parameters) {
        List<Problem.ParameterError> errors = new ArrayList<>();
        new TreeMap<>(query).forEach((name, values) -> {
            if (!parameters.contains(name)) {
                errors.add(new Problem.ParameterError(name, "Unknown query parameter '" + name + "'; this path takes "
                        + (parameters.isEmpty() ? "none" : String.join(", ", new TreeSet<>(parameters))) + "."));
            } else if (values.size() > 1) {
                errors.add(new Problem.ParameterError(name, "Give the " + name + " parameter once."));
            }
        });
        return errors;
    }

    /** The key presented, or why it is refused: none or a wrong one (401), or without {@code scope} (403). */
    private record Admission(Optional<ApiKey> caller, Optional<WebResponse> refusal) {
    }

    private Admission admit(Scope scope, Optional<String> authorization) {
        Optional<ApiKey> caller = authorization
                .filter(value -> value.toLowerCase(Locale.ROOT).startsWith(BEARER))
                .map(value -> value.substring(BEARER.length()).strip())
                .flatMap(keys::authenticate);
        if (caller.isEmpty()) {
            return new Admission(caller, Optional.of(Problem.of(401, Problem.UNAUTHORIZED,
                            "Send a valid API key as 'Authorization: Bearer <key>'.").response()
                    .withHeader("WWW-Authenticate", "Bearer")));
        }
        if (!caller.get().may(scope)) {
            return new Admission(caller, Optional.of(Problem.of(403, Problem.FORBIDDEN, "The key '"
                    + caller.get().name() + "' lacks the scope '" + scope.code() + "'.").response()));
        }
        return new Admission(caller, Optional.empty());
    }

    static WebResponse answer(Problem problem) {
        return problem.response();
    }
}
