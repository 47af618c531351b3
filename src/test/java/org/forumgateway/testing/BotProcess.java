package org.forumgateway.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The packaged jar started as an operator starts it, in its own process, with a clean environment. */
public final class BotProcess {
    private static final Path JAR = Path.of(System.getProperty("forumgateway.jar", "target/forum-gateway.jar"));

    private BotProcess() {
    }

    /** The environment of a bot against {@code apiUrl}, with the shipped config and messages. */
    public static Map<String, String> environment(String apiUrl, Path databasePath) {
        Map<String, String> environment = new HashMap<>();
        environment.put("TELEGRAM_BOT_TOKEN", FakeTelegramApi.TOKEN);
        environment.put("TELEGRAM_API_URL", apiUrl);
        environment.put("DATABASE_PATH", databasePath.toString());
        environment.put("HTTP_PORT", "0");
        environment.put("CONFIG_FILE", TestSettings.repositoryRoot().resolve("config/forum-gateway.properties").toString());
        environment.put("MESSAGES_DIR", TestSettings.repositoryRoot().resolve("messages").toString());
        return environment;
    }

    /**
     * Runs {@code java -jar target/forum-gateway.jar} in {@code folder} (no .env there) with exactly
     * {@code environment}; its output goes to {@code <name>.out} and {@code <name>.err} in the folder.
     */
    public static Process start(Path folder, Map<String, String> environment, String name) throws IOException {
        return start(folder, environment, name, List.of(), false);
    }

    /**
     * As {@link #start(Path, Map, String)}, with {@code jvmOptions} before {@code -jar}; with {@code pipeOutput} its
     * standard output is left for the caller to read ({@link Process#getInputStream}) instead of going to the file.
     */
    public static Process start(Path folder, Map<String, String> environment, String name, List<String> jvmOptions,
                                boolean pipeOutput) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", JAR.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectError(folder.resolve(name + ".err").toFile());
        if (!pipeOutput) {
            builder.redirectOutput(folder.resolve(name + ".out").toFile());
        }
        builder.environment().clear();
        builder.environment().putAll(environment);
        Process process = builder.start();
        // A test that fails before stopping its bot must not leave it running: the bot now waits for an
        // unreachable Bot API instead of exiting.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        return process;
    }

    /** The packaged jar these processes run. */
    public static Path jar() {
        return JAR;
    }
}
