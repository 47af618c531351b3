package org.forumgateway.telegram;

import com.sun.net.httpserver.HttpServer;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Bot API's health as /healthz reports it, from real exchanges over loopback. */
class TelegramHealthTest {
    private final ConcurrentLinkedQueue<Integer> answers = new ConcurrentLinkedQueue<>();
    private final TelegramHealth health = new TelegramHealth();
    private HttpServer server;
    private OkHttpClient client;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(answers.remove(), -1);
            exchange.close();
        });
        server.start();
        client = new OkHttpClient.Builder().addInterceptor(health).build();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
    }

    @Test
    void oneServerErrorAmongGoodAnswersIsABlipTwoInARowAreNot() throws IOException {
        assertEquals(TelegramHealth.Status.UNKNOWN, health.status());
        exchange(200);
        exchange(502);
        assertEquals(TelegramHealth.Status.OK, health.status(), "one 502: the outbox sends it again");
        exchange(200);
        exchange(502);
        exchange(500);
        assertEquals(TelegramHealth.Status.UNREACHABLE, health.status());
        exchange(200);
        assertEquals(TelegramHealth.Status.OK, health.status());
        exchange(401);
        assertEquals(TelegramHealth.Status.UNAUTHORIZED, health.status());
    }

    @Test
    void aFirstExchangeThatFailsIsUnreachableAtOnce() throws IOException {
        exchange(502);
        assertEquals(TelegramHealth.Status.UNREACHABLE, health.status(), "start-up waits for the Bot API");
    }

    private void exchange(int status) throws IOException {
        answers.add(status);
        Request request = new Request.Builder().url("http://127.0.0.1:" + server.getAddress().getPort() + "/getMe")
                .build();
        try (Response response = client.newCall(request).execute()) {
            assertEquals(status, response.code());
        }
    }
}
