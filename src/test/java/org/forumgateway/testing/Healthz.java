package org.forumgateway.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** Reads a running bot's /healthz over HTTP, and waits for it to say something. */
public final class Healthz {
    private static final Duration AWAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Healthz() {
    }

    public static HttpResponse<String> get(int port) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("GET /healthz failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks every 50 ms until the answer matches (a server not listening yet counts as no match); fails the test
     * after 20 s with the last answer.
     */
    public static HttpResponse<String> await(int port, Predicate<HttpResponse<String>> until) {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        HttpResponse<String> last = null;
        while (true) {
            try {
                last = get(port);
                if (until.test(last)) {
                    return last;
                }
            } catch (IllegalStateException notListeningYet) {
                // the process is still starting
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/healthz never matched; last "
                        + (last == null ? "none" : last.statusCode() + " " + last.body()));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A free port on loopback right now, for HTTP_PORT. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
