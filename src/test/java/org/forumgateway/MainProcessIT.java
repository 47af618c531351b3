package org.forumgateway;

import org.forumgateway.testing.BotProcess;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.FakeUser;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jar as an operator runs it: {@code java -jar target/forum-gateway.jar} in its own process, in a
 * folder without a .env, against the fake Bot API.
 */
class MainProcessIT {
    private static final FakeUser ANNA = new FakeUser(7001, "Анна", "ru");

    @TempDir
    Path folder;

    @Test
    void missingTokenStopsStartUpWithOneLineNamingIt() throws Exception {
        Map<String, String> environment = environmentFor("http://127.0.0.1:9");
        environment.remove("TELEGRAM_BOT_TOKEN");
        Process process = start(environment, "missing-token");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        List<String> errors = Files.readAllLines(folder.resolve("missing-token.err"));
        assertEquals(1, errors.size(), "one line: " + errors);
        assertTrue(errors.get(0).startsWith("forum-gateway: TELEGRAM_BOT_TOKEN is not set"), errors.get(0));
        assertTrue(errors.get(0).contains("@BotFather"));
        assertEquals("", Files.readString(folder.resolve("missing-token.out")).strip());
    }

    @Test
    void brokenConfigValueStopsStartUpWithOneLineNamingIt() throws Exception {
        Map<String, String> environment = environmentFor("http://127.0.0.1:9");
        environment.put("TIMEZONE_DEFAULT", "Mars/Olympus");
        Process process = start(environment, "broken-zone");
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue());
        List<String> errors = Files.readAllLines(folder.resolve("broken-zone.err"));
        assertEquals(List.of("forum-gateway: TIMEZONE_DEFAULT (timezone.default) must hold IANA time-zone ids such "
                + "as Asia/Seoul: got 'Mars/Olympus'"), errors);
    }

    @Test
    void refusedTokenStopsStartUpWithOneLineAndExitCode2() throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            Map<String, String> environment = environmentFor(api.url());
            environment.put("TELEGRAM_BOT_TOKEN", "987654321:AAAnotherTokenTheFakeDoesNotKnow_0123");
            Process process = start(environment, "refused-token");
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue());
            List<String> errors = Files.readAllLines(folder.resolve("refused-token.err"));
            assertEquals(1, errors.size(), "one line: " + errors);
            assertTrue(errors.get(0).startsWith("forum-gateway: TELEGRAM_BOT_TOKEN was refused"), errors.get(0));
        }
    }

    @Test
    void unreachableBotApiKeepsTheBotUpWithHealthz503AndNoStackTrace() throws Exception {
        int httpPort = Healthz.freePort();
        Map<String, String> environment = environmentFor("http://127.0.0.1:" + Healthz.freePort());
        environment.put("HTTP_PORT", String.valueOf(httpPort));
        Process process = start(environment, "no-network");
        try {
            // "starting" until the first getMe has failed, then "unreachable"
            HttpResponse<String> health = Healthz.await(httpPort, response -> response.statusCode() == 503
                    && response.body().contains("\"telegram\":\"unreachable\""));
            assertTrue(health.body().contains("\"telegram\":\"unreachable\""), health.body());
            assertTrue(process.isAlive(), "still running, retrying");

            // A second one on the same database, as a new version tried beside the running service: it stops at
            // once, before migrating anything, with one line, and the first goes on.
            Map<String, String> second = new HashMap<>(environment);
            second.put("HTTP_PORT", String.valueOf(Healthz.freePort()));
            Process other = start(second, "second");
            assertTrue(other.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, other.exitValue());
            String said = Files.readString(folder.resolve("second.err"), StandardCharsets.UTF_8);
            assertEquals(1, said.lines().count(), said);
            assertTrue(said.contains("DATABASE_PATH: another forum-gateway is using"), said);
            assertTrue(process.isAlive());
        } finally {
            assertStopsOnSigterm(process);
        }
        String output = Files.readString(folder.resolve("no-network.out"), StandardCharsets.UTF_8)
                + Files.readString(folder.resolve("no-network.err"), StandardCharsets.UTF_8);
        assertFalse(output.contains("\tat "), "no stack trace: " + output);
        assertEquals(1, output.lines().filter(line -> line.contains("not reachable")).count(), output);
    }

    @Test
    void russianUserSwitchesToKoreanAndIsAnsweredInKoreanAfterARestartAndSigtermStopsWithinTenSeconds()
            throws Exception {
        try (FakeTelegramApi api = FakeTelegramApi.start()) {
            Map<String, String> environment = environmentFor(api.url());
            environment.put("POLLING_TIMEOUT_SECONDS", "50");

            Process first = start(environment, "first");
            api.sendText(ANNA, "/start");
            api.awaitMessageTo(ANNA, "Здравствуйте");
            RecordedRequest picker = api.awaitMessageTo(ANNA, "Выберите язык");
            api.pressButton(ANNA, picker.messageId(), picker.button("한국어").callbackData());
            api.await("editMessageText", edit -> edit.text().contains("언어"));
            assertStopsOnSigterm(first);

            Process second = start(environment, "second");
            api.sendText(ANNA, "/help");
            api.awaitMessageTo(ANNA, "사용할 수 있는 명령");
            assertStopsOnSigterm(second);

            for (String name : List.of("first", "second")) {
                String output = Files.readString(folder.resolve(name + ".out"), StandardCharsets.UTF_8)
                        + Files.readString(folder.resolve(name + ".err"), StandardCharsets.UTF_8);
                assertFalse(output.contains(FakeTelegramApi.TOKEN), "the token is never logged");
                assertFalse(output.contains(FakeTelegramApi.TOKEN.substring(10)), "not even in part");
                assertTrue(output.contains("forum-gateway stopped"), output);
            }
        }
    }

    private static void assertStopsOnSigterm(Process process) throws InterruptedException {
        long started = System.nanoTime();
        process.destroy(); // SIGTERM
        boolean stopped = process.waitFor(10, TimeUnit.SECONDS);
        if (!stopped) {
            process.destroyForcibly();
        }
        assertTrue(stopped, "stops within 10 s of SIGTERM");
        System.out.println("stopped " + Duration.ofNanos(System.nanoTime() - started).toMillis() + " ms after SIGTERM");
    }

    private Map<String, String> environmentFor(String apiUrl) {
        return BotProcess.environment(apiUrl, folder.resolve("data/bot.db"));
    }

    private Process start(Map<String, String> environment, String name) throws IOException {
        return BotProcess.start(folder, environment, name);
    }
}
