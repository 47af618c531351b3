package org.forumgateway.web;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebServerTest {
    private static final HttpLimits FAST = HttpLimits.defaults()
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(5), Duration.ofMillis(700));
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<Socket> sockets = new ArrayList<>();
    private WebServer server;

    @AfterEach
    void stop() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private WebServer start(HttpLimits limits) {
        server = WebServer.bind(0, limits);
        server.get("/healthz", request -> WebResponse.json(200, "{\"status\":\"ok\"}"));
        server.start();
        return server;
    }

    /** HTTP_HOST=127.0.0.1: reachable on the loopback, and on no other address of this machine. */
    @Test
    void boundToTheLoopbackItAnswersThereOnly() throws Exception {
        server = WebServer.bind(Optional.of("127.0.0.1"), 0);
        server.get("/healthz", request -> WebResponse.json(200, "{\"status\":\"ok\"}"));
        server.start();
        assertEquals(200, get("/healthz").statusCode());
        for (InetAddress other : otherAddresses()) {
            try (Socket socket = new Socket()) {
                assertThrows(IOException.class, () -> socket.connect(new InetSocketAddress(other, server.port()), 1_000),
                        "listening on " + other);
            }
        }
    }

    /** This machine's IPv4 addresses other than the loopback (a fresh CI machine has at least one). */
    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress address : Collections.list(network.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
                    others.add(address);
                }
            }
        }
        return others;
    }

    @Nested
    class SlowClients {
        @Test
        void sixteenConnectionsThatNeverFinishTheirHeadersDoNotHoldUpHealthz() throws Exception {
            start(HttpLimits.defaults());
            for (int i = 0; i < 16; i++) {
                Socket socket = socket();
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(
                        StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
            }
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("{\"status\":\"ok\"}", response.body());
        }

        @Test
        void connectionTricklingItsHeadersIsClosedAtTheHeaderDeadline() throws Exception {
            start(FAST);
            Socket socket = socket();
            OutputStream out = socket.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            long started = System.nanoTime();
            socket.setSoTimeout(100);
            // A byte every 100 ms, well inside Jetty's idle timeout: only the header deadline can end this.
            boolean ended = false;
            String answer = "";
            for (int i = 0; i < 30 && !ended; i++) {
                try {
                    out.write('x');
                    out.flush();
                    int first = socket.getInputStream().read();
                    answer = first == -1 ? "" : (char) first + readAll(socket.getInputStream());
                    ended = true;
                } catch (SocketTimeoutException stillOpen) {
                    // nothing came back: trickle on
                } catch (IOException reset) {
                    ended = true;
                }
            }
            long elapsedMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(ended, "the connection stayed open");
            assertTrue(answer.isEmpty() || answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(elapsedMillis >= 400 && elapsedMillis < 2_000, "closed after " + elapsedMillis + " ms");
        }

        @Test
        void bodyThatStopsHalfWayIsAnswered408AtTheBodyDeadline() throws Exception {
            start(FAST);
            server.route(Method.POST, "/echo", request -> WebResponse.json(200, request.bodyText()));
            String answer = exchange("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n"
                    + "Content-Type: application/json\r\n\r\n{\"half\":", 3_000);
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
        }

        @Test
        void headersOverTheLimitAreRefusedWith431() throws Exception {
            start(HttpLimits.defaults());
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .header("X-Big", "a".repeat(9_000)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(431, response.statusCode());
            assertTrue(response.headers().firstValue("Content-Type").orElseThrow()
                    .startsWith("application/problem+json"));
        }
    }

    @Nested
    class Routes {
        @Test
        void pathParametersQueryHeadersAndBodyReachTheHandler() throws Exception {
            start(HttpLimits.defaults());
            AtomicReference<WebRequest> seen = new AtomicReference<>();
            server.route(Method.POST, "/v1/events/{key}/notes", request -> {
                seen.set(request);
                return WebResponse.json(201, "{}").withHeader("X-Key", request.pathParameter("key"));
            });
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/v1/events/forum%202026/notes?a=1&a=2"))
                    .header("X-Request-Id", "r-1")
                    .POST(HttpRequest.BodyPublishers.ofString("привет")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode());
            assertEquals("forum 2026", response.headers().firstValue("X-Key").orElseThrow());
            assertEquals("no-store", response.headers().firstValue("Cache-Control").orElseThrow());
            WebRequest request = seen.get();
            assertEquals(Method.POST, request.method());
            assertEquals("forum 2026", request.pathParameter("key"));
            assertEquals(List.of("1", "2"), request.query().get("a"));
            assertEquals("r-1", request.header("x-request-id").orElseThrow());
            assertEquals("привет", request.bodyText());
            assertEquals("127.0.0.1", request.remoteAddress());
        }

        @Test
        void prefixRouteMatchesEverythingBelowIt() throws Exception {
            start(HttpLimits.defaults());
            server.get("/files/*", request -> WebResponse.text(200, "text/plain", request.pathParameter("*")));
            assertEquals("a/b.txt", get("/files/a/b.txt").body());
            assertEquals(404, get("/files/").statusCode());
        }

        @Test
        void unknownPathIs404AndWrongMethodIs405WithAllowAsProblems() throws Exception {
            start(HttpLimits.defaults());
            server.route(Method.DELETE, "/healthz", request -> WebResponse.noContent());
            HttpResponse<String> missing = get("/nothing");
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("\"status\":404"), missing.body());
            assertEquals("application/problem+json; charset=utf-8",
                    missing.headers().firstValue("Content-Type").orElseThrow());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(405, wrong.statusCode());
            assertEquals("DELETE, GET, HEAD", wrong.headers().firstValue("Allow").orElseThrow());
            HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(uri("/healthz")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(204, deleted.statusCode());
        }

        @Test
        void headAnswersLikeGetWithoutTheBody() throws Exception {
            start(HttpLimits.defaults());
            HttpResponse<String> head = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
        }

        @Test
        void handlerFailureIs500Problem() throws Exception {
            start(HttpLimits.defaults());
            server.get("/broken", request -> {
                throw new IllegalStateException("boom");
            });
            HttpResponse<String> response = get("/broken");
            assertEquals(500, response.statusCode());
            assertTrue(!response.body().contains("boom"), response.body());
        }
    }

    @Nested
    class BodyLimits {
        @Test
        void aRequestRefusedFromItsHeadersIsAnsweredWithoutWaitingForItsBody() throws Exception {
            start(HttpLimits.defaults()); // a body may take 30 s to arrive
            java.util.concurrent.atomic.AtomicInteger handled = new java.util.concurrent.atomic.AtomicInteger();
            server.route(Method.POST, "/guarded", 10_000, new WebHandler() {
                @Override
                public java.util.Optional<WebResponse> refuseBeforeBody(WebRequest.Headers headers) {
                    return headers.first("X-Key").filter("right"::equals).isPresent() ? java.util.Optional.empty()
                            : java.util.Optional.of(WebResponse.problem(401, "Unauthorized", "No key."));
                }

                @Override
                public WebResponse handle(WebRequest request) {
                    handled.incrementAndGet();
                    return WebResponse.json(200, "{}");
                }
            });
            String answer = exchange("POST /guarded HTTP/1.1\r\nHost: localhost\r\nContent-Length: 9000\r\n"
                    + "Content-Type: application/json\r\n\r\n", 5_000);
            assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
            assertEquals(0, handled.get());

            HttpResponse<String> admitted = http.send(HttpRequest.newBuilder(uri("/guarded")).header("X-Key", "right")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\": 1}")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, admitted.statusCode());
            assertEquals(1, handled.get());
        }

        @Test
        void aGetWithABodyIs413AndOneWithoutIsServed() throws Exception {
            start(HttpLimits.defaults());
            HttpResponse<String> withBody = http.send(HttpRequest.newBuilder(uri("/healthz"))
                    .method("GET", HttpRequest.BodyPublishers.ofString("x".repeat(60_000))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, withBody.statusCode(), "nothing reads a GET's body: none is held in memory");
            assertEquals(200, http.send(HttpRequest.newBuilder(uri("/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());
        }

        @Test
        void declaredBodyOverTheRouteLimitIs413() throws Exception {
            start(HttpLimits.defaults());
            server.route(Method.POST, "/small", 10, request -> WebResponse.json(200, "{}"));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/small"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(11))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(413, response.statusCode());
        }

        @Test
        void aSenderStillSendingALargeBodyGetsThe413() throws Exception {
            // Answered before the body is read, the client (still writing) lost the answer to a reset now and then.
            start(HttpLimits.defaults());
            server.route(Method.POST, "/small", 10, request -> WebResponse.json(200, "{}"));
            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/small"))
                                .POST(HttpRequest.BodyPublishers.ofString("x".repeat(900 * 1024))).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(413, response.statusCode());
            }
        }

        @Test
        void chunkedBodyOverTheRouteLimitIs413() throws Exception {
            start(HttpLimits.defaults());
            server.route(Method.POST, "/small", 10, request -> WebResponse.json(200, "{}"));
            assertTrue(exchange("POST /small HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
                    + "\r\n8\r\n12345678\r\n8\r\n12345678\r\n0\r\n\r\n", 3_000).startsWith("HTTP/1.1 413"));
        }

        @Test
        void bodyAtTheRouteLimitIsAccepted() throws Exception {
            start(HttpLimits.defaults());
            server.route(Method.POST, "/small", 10, request -> WebResponse.json(200, request.bodyText()));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri("/small"))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(10))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode());
            assertEquals("x".repeat(10), response.body());
        }
    }

    @Nested
    class AnswerListener {
        private final List<String> heard = new CopyOnWriteArrayList<>();

        @Test
        void hearsTheRoutePatternNeverThePathWithEveryStatus() throws Exception {
            start(HttpLimits.defaults());
            server.route(Method.GET, "/items/{id}", request -> WebResponse.json(200, "{}"));
            server.route(Method.POST, "/uploads", 10, request -> WebResponse.noContent());
            List<Duration> took = new CopyOnWriteArrayList<>();
            server.onAnswered((route, status, time) -> {
                heard.add(route + " " + status);
                took.add(time);
            });

            assertEquals(200, get("/items/secret-42").statusCode());
            assertEquals(404, get("/nothing/secret-43").statusCode());
            assertEquals(405, http.send(HttpRequest.newBuilder(uri("/items/secret-44"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode());
            assertEquals(413, http.send(HttpRequest.newBuilder(uri("/uploads"))
                    .POST(HttpRequest.BodyPublishers.ofString("more than ten bytes")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode());

            assertEquals(List.of("/items/{id} 200", "unmatched 404", "/items/{id} 405", "/uploads 413"), heard);
            assertTrue(took.stream().noneMatch(Duration::isNegative), took.toString());
        }

        @Test
        void aFailingListenerNeverFailsTheRequest() throws Exception {
            start(HttpLimits.defaults());
            CountDownLatch called = new CountDownLatch(1);
            server.onAnswered((route, status, took) -> {
                called.countDown();
                throw new IllegalStateException("metrics broke");
            });
            HttpResponse<String> response = get("/healthz");
            assertEquals(200, response.statusCode());
            assertEquals("{\"status\":\"ok\"}", response.body());
            assertTrue(called.await(10, TimeUnit.SECONDS), "the listener was called, and failed");
            assertEquals(200, get("/healthz").statusCode(), "and the server goes on answering");
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", server.port());
        sockets.add(socket);
        return socket;
    }

    /**
     * Writes {@code request} as it is (possibly incomplete) on a new connection and returns whatever the server
     * answers until it closes the connection or {@code timeoutMillis} pass without a byte.
     */
    private String exchange(String request, int timeoutMillis) throws IOException {
        Socket socket = socket();
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.setSoTimeout(timeoutMillis);
        return readAll(socket.getInputStream());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
            }
        } catch (IOException closedOrTimedOut) {
            // whatever arrived is the answer
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
