package org.forumgateway.api;

import org.forumgateway.delivery.Notifications;
import org.forumgateway.delivery.Outbox;
import org.forumgateway.storage.Database;
import org.forumgateway.testing.MutableClock;
import org.forumgateway.web.Method;
import org.forumgateway.web.WebHandler;
import org.forumgateway.web.WebRequest;
import org.forumgateway.web.WebResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the gate lets through besides keys and scopes: how many requests one key may have under way at once. */
class ApiGateTest {
    private static final String SLOW_KEY = "k".repeat(32);
    private static final String OTHER_KEY = "o".repeat(32);

    @TempDir
    Path folder;
    private Database database;
    private ApiGate gate;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() {
        MutableClock clock = MutableClock.frozenAt("2026-12-01T00:00:00Z");
        database = Database.open(folder.resolve("bot.db"));
        Outbox outbox = new Outbox(database.jdbi(), clock);
        ApiKeys keys = new ApiKeys(database.jdbi(), outbox, new Notifications(outbox, () -> { }),
                Map.of("slow", SLOW_KEY, "other", OTHER_KEY), clock);
        gate = new ApiGate(keys, new RateLimiter(1_000_000, 1_000_000, System::nanoTime));
    }

    @AfterEach
    void close() {
        threads.shutdownNow();
        database.close();
    }

    private static WebRequest request(String key) {
        return new WebRequest(Method.GET, "/v1/events", Map.of(), Map.of(),
                new WebRequest.Headers(Map.of("authorization", List.of("Bearer " + key))), new byte[0], "127.0.0.1");
    }

    @Test
    void oneKeyMayHaveOnlySoManyRequestsUnderWayAndOthersKeepTheirs() throws Exception {
        CountDownLatch entered = new CountDownLatch(ApiGate.MAX_IN_FLIGHT_PER_KEY);
        CountDownLatch release = new CountDownLatch(1);
        WebHandler route = gate.guard(Scope.READ, Set.of(), (request, caller) -> {
            if (caller.name().equals("slow")) {
                entered.countDown();
                try {
                    assertTrue(release.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return WebResponse.json(200, "{}");
        });
        List<Future<WebResponse>> held = new ArrayList<>();
        for (int i = 0; i < ApiGate.MAX_IN_FLIGHT_PER_KEY; i++) {
            held.add(threads.submit(() -> route.handle(request(SLOW_KEY))));
        }
        assertTrue(entered.await(10, TimeUnit.SECONDS), "every permitted request is under way");

        WebResponse refused = route.handle(request(SLOW_KEY));
        assertEquals(429, refused.status());
        assertEquals(200, route.handle(request(OTHER_KEY)).status(), "another key is not held up");

        release.countDown();
        for (Future<WebResponse> answer : held) {
            assertEquals(200, answer.get(10, TimeUnit.SECONDS).status());
        }
        assertEquals(200, route.handle(request(SLOW_KEY)).status(), "the permits come back");
    }
}
