package org.forumgateway.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.forumgateway.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The process's HTTP server: /healthz today; the calendar feed and the API for other systems mount here later
 * through {@link #route}. Built on the JDK's server: small, and enough behind a reverse proxy.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WebServer.class);

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "http-worker");
        thread.setDaemon(true);
        return thread;
    });

    private WebServer(HttpServer server) {
        this.server = server;
        server.setExecutor(executor);
    }

    /**
     * Binds {@code port} on every interface. The calendar feed and the API for other systems mount here too.
     *
     * @throws ConfigException when the port cannot be bound, naming HTTP_PORT
     */
    public static WebServer bind(int port) {
        try {
            return new WebServer(HttpServer.create(new InetSocketAddress(port), 0));
        } catch (IOException e) {
            throw new ConfigException("HTTP_PORT: cannot listen on port " + port + " (" + e.getMessage()
                    + "); choose another port, or 0 to turn the HTTP server off");
        }
    }

    /** Serves GET requests for exactly {@code path}; other methods get 405. */
    public WebServer route(String path, Endpoint endpoint) {
        server.createContext(path, exchange -> handle(exchange, path, false, endpoint));
        return this;
    }

    /** Serves GET requests for every path below {@code prefix}, which ends in '/'. */
    public WebServer routeUnder(String prefix, Endpoint endpoint) {
        server.createContext(prefix, exchange -> handle(exchange, prefix, true, endpoint));
        return this;
    }

    public void start() {
        server.start();
        log.info("HTTP server listening on port {}", port());
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private static void handle(HttpExchange exchange, String path, boolean prefix, Endpoint endpoint)
            throws IOException {
        try (exchange) {
            String requested = exchange.getRequestURI().getPath();
            boolean matches = prefix ? requested.startsWith(path) && requested.length() > path.length()
                    : requested.equals(path);
            if (!matches) {
                respond(exchange, new Endpoint.Reply(404, "application/json", "{\"error\":\"not found\"}"));
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                respond(exchange, new Endpoint.Reply(405, "application/json", "{\"error\":\"method not allowed\"}"));
            } else {
                respond(exchange, endpoint.get(requested));
            }
        } catch (RuntimeException e) {
            log.error("HTTP {} failed", path, e);
            respondQuietly(exchange, new Endpoint.Reply(500, "application/json", "{\"error\":\"internal error\"}"));
        }
    }

    private static void respondQuietly(HttpExchange exchange, Endpoint.Reply reply) {
        try {
            respond(exchange, reply);
        } catch (IOException | RuntimeException e) {
            // The headers may already be out; the client sees a broken answer, which is all that is left to do.
        }
    }

    private static void respond(HttpExchange exchange, Endpoint.Reply reply) throws IOException {
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", reply.contentType() + "; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = "HEAD".equals(exchange.getRequestMethod());
        exchange.sendResponseHeaders(reply.status(), head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Answers GET requests. */
    @FunctionalInterface
    public interface Endpoint {
        /** @param path the request's path, such as {@code /calendar/abc.ics} */
        Reply get(String path);

        /** A whole HTTP answer. */
        record Reply(int status, String contentType, String body) {
        }
    }
}
