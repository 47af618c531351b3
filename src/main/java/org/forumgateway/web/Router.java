package org.forumgateway.web;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/**
 * Jetty's entry point: finds the route, refuses what it may not take (404, 405, 413), reads the body without
 * holding a thread while it trickles in, then runs the route's handler and writes its answer.
 */
final class Router extends Handler.Abstract {
    private static final Logger log = LoggerFactory.getLogger(Router.class);
    /** What the answer listener is told as the route of a request no route matched. */
    static final String UNMATCHED = "unmatched";

    /** One route; {@code maxBodyBytes} bounds what is read into memory for it. */
    record Route(Method method, RoutePattern pattern, int maxBodyBytes, WebHandler handler) {
        Route {
            if (maxBodyBytes < 0) {
                throw new IllegalArgumentException("maxBodyBytes must not be negative: " + maxBodyBytes);
            }
        }
    }

    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final HttpLimits limits;
    private final HeaderDeadlines deadlines;
    private final Scheduler scheduler;
    private volatile AnsweredListener answered = (route, status, took) -> { };

    Router(HttpLimits limits, HeaderDeadlines deadlines, Scheduler scheduler) {
        this.limits = limits;
        this.deadlines = deadlines;
        this.scheduler = scheduler;
    }

    void add(Route route) {
        routes.add(route);
    }

    void onAnswered(AnsweredListener listener) {
        answered = listener;
    }

    /** Tells the listener about {@code answer} and returns it; the listener's failures never reach the client. */
    private WebResponse noted(Request request, String route, WebResponse answer) {
        try {
            answered.answered(route, answer.status(), Duration.ofNanos(System.nanoTime() - request.getBeginNanoTime()));
        } catch (RuntimeException e) {
            log.warn("The answer listener failed: {}", e.toString());
        }
        return answer;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        deadlines.requestStarted(request);
        // Matched still encoded, so an encoded '/' in a value never passes for a segment boundary.
        String path = Request.getPathInContext(request);
        Optional<Method> method = method(request.getMethod());
        Set<String> allowed = new TreeSet<>();
        String matched = null;
        for (Route route : routes) {
            Optional<Map<String, String>> parameters = route.pattern().match(path);
            if (parameters.isEmpty()) {
                continue;
            }
            if (method.isPresent() && route.method() == method.get()) {
                serve(route, decoded(parameters.get()), method.get(), request, response, callback);
                return true;
            }
            allowed.add(route.method().name());
            matched = matched == null ? route.pattern().text() : matched;
            if (route.method() == Method.GET) {
                allowed.add("HEAD");
            }
        }
        if (allowed.isEmpty()) {
            send(response, callback, noted(request, UNMATCHED, WebResponse.problem(404, "Not Found", "No resource here.")));
        } else {
            send(response, callback, noted(request, matched, WebResponse.problem(405, "Method Not Allowed",
                            request.getMethod() + " is not allowed here; use " + String.join(", ", allowed) + ".")
                    .withHeader("Allow", String.join(", ", allowed))));
        }
        return true;
    }

    private void serve(Route route, Map<String, String> parameters, Method method, Request request,
                       Response response, Callback callback) {
        long declared = request.getLength();
        String pattern = route.pattern().text();
        if (declared > BodyReader.discardLimit(route.maxBodyBytes())) {
            // Far too large to read and drop: answered at once (the client may miss it while still sending).
            sendAndClose(response, callback, noted(request, pattern, tooLarge(route)));
            return;
        }
        WebRequest.Headers headers = headers(request);
        Optional<WebResponse> refused = refusedBeforeBody(route, headers);
        if (refused.isPresent()) {
            if (declared == 0) {
                send(response, callback, noted(request, pattern, refused.get()));
            } else {
                // The body is left unread, so the connection cannot carry another request.
                sendAndClose(response, callback, noted(request, pattern, refused.get()));
            }
            return;
        }
        BodyReader.read(request, route.maxBodyBytes(), limits.bodyTimeout(), scheduler, new BodyReader.Outcome() {
            @Override
            public void body(byte[] body) {
                WebRequest webRequest = new WebRequest(method, request.getHttpURI().getDecodedPath(), parameters,
                        query(request), headers, body, remoteAddress(request));
                send(response, callback, noted(request, pattern, run(route, webRequest)));
            }

            @Override
            public void tooLarge() {
                sendAndClose(response, callback, noted(request, pattern, Router.tooLarge(route)));
            }

            @Override
            public void timedOut() {
                sendAndClose(response, callback, noted(request, pattern, WebResponse.problem(408, "Request Timeout",
                        "The request body did not arrive within " + limits.bodyTimeout().toSeconds() + " s.")));
            }

            @Override
            public void failed(Throwable failure) {
                // The client went away or sent a broken body: nobody is left to read an answer worth composing.
                callback.failed(failure);
            }
        });
    }

    private static Optional<WebResponse> refusedBeforeBody(Route route, WebRequest.Headers headers) {
        try {
            return route.handler().refuseBeforeBody(headers);
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed before its body", route.method(), route.pattern().text(), e);
            return Optional.of(WebResponse.problem(500, "Internal Server Error", "The request could not be completed."));
        }
    }

    private static WebResponse run(Route route, WebRequest request) {
        try {
            return route.handler().handle(request);
        } catch (RuntimeException e) {
            log.error("HTTP {} {} failed", request.method(), route.pattern().text(), e);
            return WebResponse.problem(500, "Internal Server Error", "The request could not be completed.");
        }
    }

    private static WebResponse tooLarge(Route route) {
        return WebResponse.problem(413, "Content Too Large",
                "The body may be at most " + route.maxBodyBytes() + " bytes.");
    }

    private static Optional<Method> method(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        if ("HEAD".equals(upper)) {
            return Optional.of(Method.GET);
        }
        try {
            return Optional.of(Method.valueOf(upper));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static Map<String, String> decoded(Map<String, String> parameters) {
        Map<String, String> decoded = new HashMap<>();
        parameters.forEach((name, value) -> decoded.put(name, URIUtil.decodePath(value)));
        return decoded;
    }

    private static Map<String, List<String>> query(Request request) {
        Fields fields = Request.extractQueryParameters(request);
        Map<String, List<String>> query = new LinkedHashMap<>();
        for (Fields.Field field : fields) {
            query.put(field.getName(), List.copyOf(field.getValues()));
        }
        return query;
    }

    private static WebRequest.Headers headers(Request request) {
        Map<String, List<String>> byName = new HashMap<>();
        for (HttpField field : request.getHeaders()) {
            byName.computeIfAbsent(field.getLowerCaseName(), name -> new ArrayList<>()).add(field.getValue());
        }
        return new WebRequest.Headers(byName.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, entry -> List.copyOf(entry.getValue()))));
    }

    private static String remoteAddress(Request request) {
        SocketAddress address = request.getConnectionMetaData().getRemoteSocketAddress();
        return address instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(address);
    }

    /** Answers and closes the connection: what is left of the request body is not worth reading. */
    private static void sendAndClose(Response response, Callback callback, WebResponse answer) {
        response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
        send(response, callback, answer);
    }

    static void send(Response response, Callback callback, WebResponse answer) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        answer.headers().forEach(headers::put);
        if (!answer.contentType().isEmpty()) {
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        }
        if (answer.status() != 204 && answer.status() != 304) {
            headers.put(HttpHeader.CONTENT_LENGTH, answer.body().length);
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
