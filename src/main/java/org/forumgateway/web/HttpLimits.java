package org.forumgateway.web;

import java.time.Duration;

/**
 * What one client may take from the HTTP server. The defaults are sized for the expected load: phones refreshing
 * calendar feeds (a feed renders in a few milliseconds; 10,000 subscribers refreshing every 15 minutes are about
 * 11 requests a second), Telegram pushing updates (at most {@code max_connections} at once) and a few systems
 * calling the API.
 *
 * @param headerTimeout      a connection must deliver a request's complete headers within this of opening, or of
 *                           the previous answer (it is closed otherwise): trickled headers hold nothing for long
 * @param idleTimeout        the longest silence while a body is read or an answer written
 * @param bodyTimeout        a request's whole body must arrive within this (408 otherwise)
 * @param maxThreads         the pool that parses requests and runs handlers; idle connections hold no thread
 * @param maxConnections     open connections at once; more wait in the kernel's accept queue. Each connection has
 *                           at most one request under way, so this also bounds the work waiting for a thread
 * @param maxHeaderBytes     request line and headers together (431 beyond)
 * @param defaultMaxBodyBytes the body limit of routes that name none (413 beyond)
 */
public record HttpLimits(Duration headerTimeout, Duration idleTimeout, Duration bodyTimeout, int maxThreads,
                         int maxConnections, int maxHeaderBytes, int defaultMaxBodyBytes) {

    public HttpLimits {
        requirePositive(headerTimeout, "headerTimeout");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(bodyTimeout, "bodyTimeout");
        if (maxThreads < 8) {
            throw new IllegalArgumentException("maxThreads must be at least 8 (the acceptor and selector take two)");
        }
        if (maxConnections < 1 || maxHeaderBytes < 1024 || defaultMaxBodyBytes < 0) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }

    /**
     * 10 s for headers (a phone on a poor network sends them in well under a second); 30 s of silence; 30 s for a
     * body; 32 threads, of which ~30 run handlers: at 10 ms a feed that is 3,000 feeds a second, far above need,
     * while SQLite's single writer stays the bottleneck; 1,000 connections; 8 KiB of headers
     * (a browser sends 1-2 KiB, Telegram less); 64 KiB of body unless a route says more.
     */
    public static HttpLimits defaults() {
        return new HttpLimits(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(30), 32, 1_000,
                8 * 1024, 64 * 1024);
    }

    public HttpLimits withTimeouts(Duration header, Duration idle, Duration body) {
        return new HttpLimits(header, idle, body, maxThreads, maxConnections, maxHeaderBytes,
                defaultMaxBodyBytes);
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
