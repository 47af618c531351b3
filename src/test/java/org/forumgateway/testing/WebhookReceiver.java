package org.forumgateway.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A webhook receiver on loopback, as another system would run one: records every POST (headers and body) and
 * answers what the test queued (200 otherwise), or holds the answer until the test releases it. It verifies
 * signatures on its own, from the Standard Webhooks specification, without the bot's code. Thread-safe.
 */
public final class WebhookReceiver implements AutoCloseable {
    /** A request as received. */
    public record Received(String id, String timestamp, String signature, String contentType, String body) {
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final List<Received> received = new ArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean holding;
    private volatile int otherwise = 200;

    private WebhookReceiver(HttpServer server) {
        this.server = server;
    }

    public static WebhookReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            WebhookReceiver receiver = new WebhookReceiver(server);
            server.createContext("/hooks", receiver::handle);
            server.setExecutor(Executors.newCachedThreadPool());
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks";
    }

    /** The next requests are answered with these statuses, in order; then 200. */
    public void answer(int... statuses) {
        for (int status : statuses) {
            answers.add(status);
        }
    }

    /** Every request not answered otherwise gets {@code status}. */
    public void answerAlways(int status) {
        otherwise = status;
    }

    /** Requests are held without an answer until {@link #release()}. */
    public void hold() {
        holding = true;
    }

    public void release() {
        holding = false;
        released.countDown();
    }

    public List<Received> received() {
        lock.lock();
        try {
            return List.copyOf(received);
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to {@code timeout} until {@code count} requests have arrived; returns them all. */
    public List<Received> await(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (received.size() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("expected " + count + " webhooks, got " + received.size());
                }
                arrived.awaitNanos(left);
            }
            return List.copyOf(received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            lock.unlock();
        }
    }

    /**
     * True when {@code request} carries a valid {@code v1} signature by {@code secret} ({@code whsec_<base64>}),
     * computed as the Standard Webhooks specification says.
     */
    public static boolean verifies(Received request, String secret) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            String signed = request.id() + "." + request.timestamp() + "." + request.body();
            byte[] expected = mac.doFinal(signed.getBytes(StandardCharsets.UTF_8));
            for (String candidate : request.signature().split(" ")) {
                String[] parts = candidate.split(",", 2);
                if (parts.length == 2 && "v1".equals(parts[0])
                        && MessageDigest.isEqual(expected, Base64.getDecoder().decode(parts[1]))) {
                    return true;
                }
            }
            return false;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, List<String>> headers = exchange.getRequestHeaders();
        Received request = new Received(exchange.getRequestHeaders().getFirst("webhook-id"),
                headers.getOrDefault("webhook-timestamp", List.of("")).get(0),
                headers.getOrDefault("webhook-signature", List.of("")).get(0),
                exchange.getRequestHeaders().getFirst("content-type"), body);
        Integer status = answers.poll();
        lock.lock();
        try {
            received.add(request);
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        if (holding) {
            try {
                released.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(status == null ? otherwise : status, -1);
        exchange.close();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }
}
