package org.forumgateway.bench;

import org.forumgateway.testing.BotProcess;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The gateway under measurement as an operator runs it: the packaged jar ({@code java -jar}) in a process of its
 * own, while the load and the fake Bot API run in the benchmark's. In one process, the benchmark's own threads,
 * allocations and compiled code shared the gateway's JIT, heap and garbage collections (a young pause of the fake
 * stopped the gateway too), which a gateway in production does not pay; both still share the two cores here.
 */
final class ProductProcess implements AutoCloseable {
    private final Process process;
    private final Jdbi database;
    private final int port;

    private ProductProcess(Process process, Jdbi database, int port) {
        this.process = process;
        this.database = database;
        this.port = port;
    }

    /**
     * Starts the jar against {@code api} with the tests' settings plus {@code settings}, on a port of its own, and
     * returns once its /healthz answers.
     */
    static ProductProcess start(FakeTelegramApi api, Path folder, Map<String, String> settings) throws Exception {
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(Healthz.freePort()));
        environment.putAll(settings);
        // -Dgateway.jvm="-Xlog:gc ..." passes JVM options to the gateway (its output: gateway.out in the folder).
        String jvmOptions = System.getProperty("gateway.jvm", "");
        if (!jvmOptions.isBlank()) {
            environment.put("JAVA_TOOL_OPTIONS", jvmOptions);
            System.out.println("gateway output: " + folder.resolve("gateway.out"));
        }
        int port = Integer.parseInt(environment.get("HTTP_PORT"));
        Process process = BotProcess.start(folder, environment, "gateway");
        Healthz.await(port, answer -> answer.statusCode() > 0);
        Jdbi database = Jdbi.create("jdbc:sqlite:" + folder.resolve("bot.db") + "?busy_timeout=10000");
        return new ProductProcess(process, database, port);
    }

    /** As {@link #start}, with Telegram pushing updates to the gateway's own port (webhook mode). */
    static ProductProcess startInWebhookMode(FakeTelegramApi api, Path folder, Map<String, String> settings)
            throws Exception {
        int port = Healthz.freePort();
        Map<String, String> webhook = new HashMap<>(settings);
        webhook.put("HTTP_PORT", String.valueOf(port));
        webhook.put("TELEGRAM_WEBHOOK_URL", "http://127.0.0.1:" + port);
        return start(api, folder, webhook);
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The gateway's database, opened from the benchmark's process: what the benchmark checks and seeds. */
    Jdbi database() {
        return database;
    }

    /** Stops it as an operator does (SIGTERM) and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
