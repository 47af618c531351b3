package org.forumgateway.web;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.forumgateway.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

/**
 * The process's HTTP server: /healthz, the calendar feeds, the webhook and the API for other systems mount here
 * through {@link #route}. Built on Jetty's core server (no servlets): idle connections hold no thread, headers
 * and bodies have deadlines and size limits ({@link HttpLimits}), and handlers run on a bounded pool. Routes are
 * tried in the order they were added; a path that matches a route of another method gets 405, no route 404,
 * both as RFC 9457 problems. Thread-safe; routes may be added before or after {@link #start()}.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final Server server;
    private final ServerConnector connector;
    private final Router router;
    private final HttpLimits limits;

    private WebServer(Server server, ServerConnector connector, Router router, HttpLimits limits) {
        this.server = server;
        this.connector = connector;
        this.router = router;
        this.limits = limits;
    }

    /**
     * Binds {@code port} on {@code host} (empty: every interface) with the {@link HttpLimits#defaults() default
     * limits}.
     *
     * @throws ConfigException when the port cannot be bound, naming HTTP_PORT (and HTTP_HOST when one is given)
     */
    public static WebServer bind(Optional<String> host, int port) {
        return bind(host, port, HttpLimits.defaults());
    }

    /** Binds {@code port} (0: any free port) on every interface; requests are served once {@link #start()}ed. */
    public static WebServer bind(int port, HttpLimits limits) {
        return bind(Optional.empty(), port, limits);
    }

    /** Binds {@code port} (0: any free port) on {@code host} (empty: every interface). */
    private static WebServer bind(Optional<String> host, int port, HttpLimits limits) {
        // Jetty's queue stays unbounded (a bounded one makes it drop its own selector tasks); the connection
        // limit bounds what can queue.
        QueuedThreadPool threads = new QueuedThreadPool(limits.maxThreads(), 4);
        threads.setName("http");
        threads.setDaemon(true);
        // No threads parked for Jetty's own fast path: every thread of the pool is one a handler can use.
        threads.setReservedThreads(0);
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(limits.maxHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        // One acceptor and one selector: two cores, and a selector serves thousands of connections.
        ServerConnector connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setPort(port);
        host.ifPresent(connector::setHost);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(limits.maxConnections(), connector));
        HeaderDeadlines deadlines = new HeaderDeadlines(limits.headerTimeout(), server.getScheduler());
        connector.addEventListener(deadlines);
        server.addBean(deadlines);
        Router router = new Router(limits, deadlines, server.getScheduler());
        server.setHandler(router);
        server.setErrorHandler(new ProblemErrorHandler());
        try {
            connector.open();
        } catch (IOException e) {
            throw new ConfigException("HTTP_PORT: cannot listen on port " + port + host.map(" of "::concat).orElse("")
                    + " (" + e.getMessage() + "); choose another port, or 0 to turn the HTTP server off"
                    + host.map(ignored -> ", or another HTTP_HOST").orElse(""));
        }
        return new WebServer(server, connector, router, limits);
    }

    /**
     * Serves {@code method} on {@code pattern} (see {@link RoutePattern}): GET and DELETE without a body (one is
     * answered 413: nothing reads it, and an unauthenticated GET would otherwise hold 64 KB of memory for it), other
     * methods with bodies up to the default limit.
     */
    public WebServer route(Method method, String pattern, WebHandler handler) {
        boolean bodiless = method == Method.GET || method == Method.DELETE;
        return route(method, pattern, bodiless ? 0 : limits.defaultMaxBodyBytes(), handler);
    }

    /**
     * Serves {@code method} on {@code pattern}; a body over {@code maxBodyBytes} is answered 413 (read and dropped
     * first, up to a limit: see {@link BodyReader}).
     */
    public WebServer route(Method method, String pattern, int maxBodyBytes, WebHandler handler) {
        router.add(new Router.Route(method, RoutePattern.parse(pattern), maxBodyBytes, handler));
        return this;
    }

    /** Serves GET (and HEAD) on {@code pattern}. */
    public WebServer get(String pattern, WebHandler handler) {
        return route(Method.GET, pattern, handler);
    }

    /**
     * Tells {@code listener} the route pattern (never the raw path; {@code "unmatched"} when no route matched) and
     * the status of every answer, for metrics. It runs on the request's thread and must be quick; its failures are
     * logged and never reach the client.
     */
    public WebServer onAnswered(AnsweredListener listener) {
        router.onAnswered(listener);
        return this;
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("HTTP server did not start: " + e.getMessage(), e);
        }
        log.info("HTTP server listening on port {}", port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** Stops accepting, gives requests under way a second, and closes every connection. */
    @Override
    public void close() {
        try {
            server.setStopTimeout(1_000);
            server.stop();
        } catch (TimeoutException e) {
            // Connections still open after the grace period are cut: what shutdown is for.
        } catch (Exception e) {
            log.warn("Stopping the HTTP server: {}", e.toString());
        } finally {
            connector.close(); // bound in bind(): released even when the server never started
        }
    }
}
