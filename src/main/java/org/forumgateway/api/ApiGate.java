package org.forumgateway.api;

import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What every API request passes before its handler: a bearer key (401 without a valid one), the route's scope
 * (403), the key's rate limit (429 with Retry-After). A {@link Problem.Raised} from the handler becomes its problem.
 * Keys never reach a log or an answer. Thread-safe.
 */
final class ApiGate {
    private static final String BEARER = "bearer ";

    private final ApiKeys keys;
    private final RateLimiter limiter;

    ApiGate(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    WebHandler guard(Scope scope, ApiHandler handler) {
        return new WebHandler() {
            /**
             * A request without a valid key, with one lacking the scope, or over the key's rate, is refused before
             * its body is read: a key sending faster than its rate cannot hold bodies in memory meanwhile.
             */
            @Override
            public Optional<WebResponse> refuseBeforeBody(WebRequest.Headers headers) {
                Admission admission = admit(scope, headers.first("Authorization"));
                if (admission.refusal().isPresent()) {
                    return admission.refusal();
                }
                Duration wait = limiter.acquire(admission.caller().orElseThrow().name());
                if (wait.isZero()) {
                    return Optional.empty();
                }
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                return Optional.of(Problem.of(429, Problem.RATE_LIMITED, "Too many requests with this key; retry after "
                        + seconds + " s.").response().withHeader("Retry-After", String.valueOf(seconds)));
            }

            /** Called after {@link #refuseBeforeBody} admitted the request (and took its token from the rate). */
            @Override
            public WebResponse handle(WebRequest request) {
                Admission admission = admit(scope, request.header("Authorization"));
                if (admission.refusal().isPresent()) {
                    return admission.refusal().get();
                }
                ApiKey caller = admission.caller().orElseThrow();
                try {
                    return handler.handle(request, caller);
                } catch (Problem.Raised raised) {
                    return raised.problem().response();
                }
            }
        };
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
