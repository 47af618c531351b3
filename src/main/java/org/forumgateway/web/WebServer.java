package org.forumgateway.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
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
     * Binds {@code port} on every interface.
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

    /** Serves GET requests for {@code path}; other methods get 405. */
    public WebServer route(String path, Endpoint endpoint) {
        server.createContext(path, exchange -> handle(exchange, path, endpoint));
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

    private static void handle(HttpExchange exchange, String path, Endpoint endpoint) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                respond(exchange, new Endpoint.Reply(404, "application/json", "{\"error\":\"not found\"}"));
            } else if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                respond(exchange, new Endpoint.Reply(405, "application/json", "{\"error\":\"method not allowed\"}"));
            } else {
                respond(exchange, endpoint.get());
            }
        } catch (RuntimeException e) {
            log.error("HTTP {} failed", path, e);
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

    /** Answers GET requests for one path. */
    @FunctionalInterface
    public interface Endpoint {
        Reply get();

        /** A whole HTTP answer. */
        record Reply(int status, String contentType, String body) {
        }
    }
}
