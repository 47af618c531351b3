package org.forumgateway.bench;

import org.forumgateway.testing.BotProcess;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.Healthz;
import org.forumgateway.testing.TestSettings;
import org.jdbi.v3.core.Jdbi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The gateway under measurement as an operator runs it: the packaged jar ({@code java -jar}) in a process of its
 * own, while the load and the fake Bot API run in the benchmark's. In one process, the benchmark's own threads,
 * allocations and compiled code shared the gateway's JIT, heap and garbage collections (a young pause of the fake
 * stopped the gateway too), which a gateway in production does not pay; both still share the two cores here.
 * Its JVM logs a line per garbage collection ({@code -Xlog:gc}), so a benchmark can tell what pauses fell in its
 * measured window. {@code -Dgateway.jvm="..."} passes more JVM options (detailed GC logs, a flight recording).
 */
final class ProductProcess implements AutoCloseable {
    private final Process process;
    private final Jdbi database;
    private final int port;
    private final Path gcLog;

    private ProductProcess(Process process, Jdbi database, int port, Path gcLog) {
        this.process = process;
        this.database = database;
        this.port = port;
        this.gcLog = gcLog;
    }

    /**
     * Starts the jar against {@code api} with the tests' settings plus {@code settings}, on a port of its own, and
     * returns once its /healthz answers. Its output goes to {@code gateway.out} and {@code gateway.err} in the folder.
     */
    static ProductProcess start(FakeTelegramApi api, Path folder, Map<String, String> settings) throws Exception {
        return start(api, folder, settings, List.of(), null);
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

    /**
     * As {@link #start}, with extra JVM options, and each line of the gateway's standard output handed to
     * {@code output} as it is written (when not null) instead of going to the file.
     */
    static ProductProcess start(FakeTelegramApi api, Path folder, Map<String, String> settings,
                                List<String> jvmOptions, Consumer<String> output) throws Exception {
        if (!Files.exists(BotProcess.jar())) {
            throw new IllegalStateException(BotProcess.jar() + " is missing: package first (see the README's "
                    + "benchmark command)");
        }
        Map<String, String> environment = TestSettings.environment(api, folder);
        environment.put("HTTP_PORT", String.valueOf(Healthz.freePort()));
        environment.putAll(settings);
        int port = Integer.parseInt(environment.get("HTTP_PORT"));
        // A line per collection, for GatewayGc: what a pause in a measured window cost.
        Path gcLog = folder.resolve("gateway-gc.log");
        List<String> options = new ArrayList<>(List.of("-Xlog:gc:file=" + gcLog));
        options.addAll(jvmOptions);
        String extra = System.getProperty("gateway.jvm", "");
        if (!extra.isBlank()) {
            options.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        Process process = BotProcess.start(folder, environment, "gateway", options, output != null);
        if (output != null) {
            Thread reader = new Thread(() -> forEachLine(process, output), "gateway-output");
            reader.setDaemon(true);
            reader.start();
        }
        Healthz.await(port, answer -> answer.statusCode() > 0 || !process.isAlive());
        if (!process.isAlive()) {
            throw new IllegalStateException("the gateway stopped: " + Files.readString(folder.resolve("gateway.err")));
        }
        Jdbi database = Jdbi.create("jdbc:sqlite:" + folder.resolve("bot.db") + "?busy_timeout=10000");
        return new ProductProcess(process, database, port, gcLog);
    }

    private static void forEachLine(Process process, Consumer<String> output) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = lines.readLine()) != null; ) {
                output.accept(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /** The gateway's GC pauses from now on: {@link GatewayGc#since}. */
    GatewayGc gc() {
        return new GatewayGc(gcLog);
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
