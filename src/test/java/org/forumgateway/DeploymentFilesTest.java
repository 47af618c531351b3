package org.forumgateway;

import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigLoader;
import org.forumgateway.testing.FakeTelegramApi;
import org.forumgateway.testing.TestSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CI has no Docker engine, so the Dockerfile, compose.yaml, .dockerignore and .env.example are checked by reading
 * them: the configuration the container would load (image ENV, then {@code --env-file .env} as .env.example has it)
 * must put the database and backups in the volume, read the schedule from the mounted config folder and answer the
 * health check on its HTTP port.
 */
class DeploymentFilesTest {
    private static final Path ROOT = TestSettings.repositoryRoot();

    @TempDir
    Path app;
    private Dockerfile image;
    private Map<String, String> envExample;

    @BeforeEach
    void read() throws IOException {
        image = Dockerfile.read(ROOT.resolve("Dockerfile"));
        envExample = envFile(ROOT.resolve(".env.example"));
    }

    /** Readers copy the README's shell examples whole: a note that is not a comment breaks every line of its block. */
    @Test
    void everyShellExampleInTheReadmeParses() throws IOException, InterruptedException {
        Matcher block = Pattern.compile("(?s)```sh\n(.*?)```").matcher(Files.readString(ROOT.resolve("README.md")));
        int blocks = 0;
        while (block.find()) {
            blocks++;
            Path script = app.resolve("example-" + blocks + ".sh");
            Files.writeString(script, block.group(1));
            Process check = new ProcessBuilder("bash", "-n", script.toString()).redirectErrorStream(true).start();
            String complaint = new String(check.getInputStream().readAllBytes());
            assertEquals(0, check.waitFor(), "README shell example " + blocks + ":\n" + block.group(1) + complaint);
        }
        assertTrue(blocks > 5, "the README's shell examples were found: " + blocks);
    }

    @Test
    void envExampleDoesNotOverrideTheImagesDataPaths() {
        for (String path : List.of("DATABASE_PATH", "BACKUP_FOLDER")) {
            assertTrue(image.env().containsKey(path), "the image sets " + path);
            assertFalse(envExample.containsKey(path), ".env.example must leave " + path + " to the image");
        }
    }

    @Test
    void theDatabaseAndBackupsLandInTheVolumeWritableByTheImagesUser() throws IOException {
        String volume = image.volume();
        for (AppConfig config : List.of(containerConfig(Map.of()),
                // An operator's older .env with the default outside Docker must still land in the volume.
                containerConfig(Map.of("DATABASE_PATH", "data/forum-gateway.db", "BACKUP_FOLDER", "data/backups")))) {
            assertTrue(image.resolve(config.databasePath(), app).startsWith(volume + "/"), config.databasePath()
                    + " is not in the volume " + volume);
            assertTrue(image.resolve(config.automation().backupFolder(), app).startsWith(volume + "/"),
                    config.automation().backupFolder() + " is not in the volume " + volume);
        }
        assertTrue(Pattern.compile("mkdir -p [^&\n]*" + Pattern.quote(volume) + "(\\s|$)").matcher(image.run()).find(),
                image.run());
        assertTrue(image.run().contains("chown " + image.user() + " " + volume), "the non-root user owns the volume");
    }

    @Test
    void theHealthCheckHitsHealthzOnTheHttpPortTheAppListensOn() throws IOException {
        AppConfig config = containerConfig(Map.of());
        int port = config.httpPort().orElseThrow();
        assertEquals(String.valueOf(port), image.env().get("HTTP_PORT"));
        assertEquals(List.of(String.valueOf(port)), image.expose());
        assertTrue(image.healthcheck().contains("http://127.0.0.1:${HTTP_PORT}/healthz"), image.healthcheck());

        Map<String, Object> service = composeService();
        @SuppressWarnings("unchecked")
        Map<String, Object> healthcheck = (Map<String, Object>) service.get("healthcheck");
        assertTrue(String.valueOf(healthcheck.get("test")).contains("http://127.0.0.1:$${HTTP_PORT}/healthz"),
                String.valueOf(healthcheck.get("test")));
        assertEquals(List.of("127.0.0.1:8080:" + port), service.get("ports"), "published on the host's loopback only");
    }

    @Test
    void composeRestartsTheBotKeepsTheVolumeAndMountsTheConfigFolderReload() throws IOException {
        AppConfig config = containerConfig(Map.of());
        Map<String, Object> service = composeService();
        assertEquals("unless-stopped", service.get("restart"));
        assertEquals(".env", service.get("env_file"));
        @SuppressWarnings("unchecked")
        List<String> volumes = (List<String>) service.get("volumes");
        assertTrue(volumes.contains("forum-gateway-data:" + image.volume()), volumes.toString());
        // The events file /reload reads is in the folder compose mounts from the host.
        String eventsFile = image.resolve(config.schedule().eventsFile(), app);
        String configFolder = image.workdir() + "/config";
        assertTrue(eventsFile.startsWith(configFolder + "/"), eventsFile);
        assertTrue(volumes.contains("./config:" + configFolder + ":ro"), volumes.toString());
        assertTrue(image.copies().containsValue(configFolder), "the image ships a default config folder too");
    }

    @Test
    void composeKeepsTheServerReachableAndTheDataInTheVolumeWhateverEnvSays() throws IOException {
        Map<String, Object> service = composeService();
        @SuppressWarnings("unchecked")
        Map<String, String> pinned = (Map<String, String>) service.get("environment");
        // What a .env copied from a systemd install says, then what compose sets over it.
        Map<String, String> environment = new HashMap<>(Map.of("HTTP_HOST", "127.0.0.1",
                "DATABASE_PATH", "/var/lib/forum-gateway/forum-gateway.db", "HTTP_PORT", "9090"));
        environment.putAll(pinned);
        AppConfig config = containerConfig(environment);
        assertTrue(InetAddress.getByName(config.httpHost().orElseThrow()).isAnyLocalAddress(),
                "every interface of the container: " + config.httpHost());
        @SuppressWarnings("unchecked")
        List<String> ports = (List<String>) service.get("ports");
        String published = ports.get(0).substring(ports.get(0).lastIndexOf(':') + 1);
        assertEquals(Optional.of(Integer.parseInt(published)), config.httpPort(),
                "the server listens on the port compose publishes, whatever .env says");
        assertEquals(image.env().get("DATABASE_PATH"), config.databasePath().toString());
        assertEquals(image.env().get("BACKUP_FOLDER"), pinned.get("BACKUP_FOLDER"));
        assertTrue(config.databasePath().startsWith(image.volume()), config.databasePath().toString());
    }

    @Test
    void dockerignoreKeepsSecretsDataAndBuildOutputOutOfTheImage() throws IOException {
        List<String> ignored = Files.readAllLines(ROOT.resolve(".dockerignore")).stream()
                .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
        assertTrue(ignored.containsAll(List.of(".env", "data", "target", ".git", "*.db")), ignored.toString());
        for (String copied : image.copies().keySet()) {
            assertFalse(ignored.contains(copied), copied + " is copied into the image but ignored");
        }
    }

    @Test
    void theSystemdUnitMayWriteWhereTheDefaultsPutTheDatabaseAndBackups() throws IOException {
        Map<String, String> unit = new HashMap<>();
        for (String line : Files.readAllLines(ROOT.resolve("deploy/forum-gateway.service"))) {
            int equals = line.indexOf('=');
            if (!line.startsWith("#") && equals > 0) {
                unit.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        Path workingDirectory = Path.of(unit.get("WorkingDirectory"));
        Map<String, String> environment = new HashMap<>(envExample);
        environment.put("TELEGRAM_BOT_TOKEN", FakeTelegramApi.TOKEN);
        environment.put("CONFIG_FILE", ROOT.resolve("config/forum-gateway.properties").toString());
        AppConfig config = ConfigLoader.load(environment, workingDirectory);
        Path writable = Path.of(unit.get("ReadWritePaths"));
        assertTrue(config.databasePath().startsWith(writable), config.databasePath() + " outside " + writable);
        assertTrue(config.automation().backupFolder().startsWith(writable), config.automation().backupFolder().toString());
        assertTrue(unit.get("ExecStart").contains(workingDirectory.resolve("forum-gateway.jar").toString()));
        assertEquals("2", unit.get("RestartPreventExitStatus"), "a configuration error is not retried");
        assertEquals("0077", unit.get("UMask"), "the database and its backups are the service user's alone");
    }

    /**
     * The configuration the container loads: its working directory holds the image's copies of config/ and messages/,
     * its environment is the image's ENV overlaid by .env.example's values (and {@code overrides}), plus a token.
     */
    private AppConfig containerConfig(Map<String, String> overrides) throws IOException {
        for (Map.Entry<String, String> copy : image.copies().entrySet()) {
            if (copy.getValue().startsWith(image.workdir() + "/") && Files.isDirectory(ROOT.resolve(copy.getKey()))) {
                copyFolder(ROOT.resolve(copy.getKey()), app.resolve(copy.getValue().substring(image.workdir().length() + 1)));
            }
        }
        Map<String, String> environment = new HashMap<>(image.env());
        environment.putAll(envExample);
        environment.putAll(overrides);
        environment.put("TELEGRAM_BOT_TOKEN", FakeTelegramApi.TOKEN);
        return ConfigLoader.load(environment, app);
    }

    private Map<String, Object> composeService() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("compose.yaml")));
        @SuppressWarnings("unchecked")
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        @SuppressWarnings("unchecked")
        Map<String, Object> service = (Map<String, Object>) services.get("forum-gateway");
        return service;
    }

    /** What {@code docker run --env-file} takes from a file: uncommented KEY=value lines, empty values too. */
    private static Map<String, String> envFile(Path file) throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int equals = line.indexOf('=');
            if (!line.isBlank() && !line.startsWith("#") && equals > 0) {
                entries.put(line.substring(0, equals).strip(), line.substring(equals + 1));
            }
        }
        return entries;
    }

    private static void copyFolder(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The runtime stage of a Dockerfile (after its last FROM), read instruction by instruction. */
    private record Dockerfile(String workdir, Map<String, String> env, String volume, List<String> expose,
                              String user, String healthcheck, String run, Map<String, String> copies,
                              Map<String, String> links) {
        private static final Pattern ENV_PAIR = Pattern.compile("([A-Z_]+)=(\\S+)");
        private static final Pattern LINK = Pattern.compile("ln -s (\\S+) (\\S+)");

        static Dockerfile read(Path file) throws IOException {
            String text = Files.readString(file).replace("\\\n", " ");
            List<String> lines = new ArrayList<>(text.lines().map(String::strip)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#")).toList());
            int lastFrom = 0;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("FROM ")) {
                    lastFrom = i;
                }
            }
            String workdir = "/";
            Map<String, String> env = new HashMap<>();
            String volume = "";
            List<String> expose = new ArrayList<>();
            String user = "root";
            String healthcheck = "";
            StringBuilder run = new StringBuilder();
            Map<String, String> copies = new LinkedHashMap<>();
            for (String line : lines.subList(lastFrom + 1, lines.size())) {
                String[] parts = line.split("\\s+", 2);
                String argument = parts.length > 1 ? parts[1] : "";
                switch (parts[0]) {
                    case "WORKDIR" -> workdir = argument;
                    case "ENV" -> {
                        Matcher pair = ENV_PAIR.matcher(argument);
                        while (pair.find()) {
                            env.put(pair.group(1), pair.group(2));
                        }
                    }
                    case "VOLUME" -> volume = argument.replaceAll("[\\[\\]\" ]", "");
                    case "EXPOSE" -> expose.addAll(List.of(argument.split("\\s+")));
                    case "USER" -> user = argument;
                    case "HEALTHCHECK" -> healthcheck = argument;
                    case "RUN" -> run.append(argument).append('\n');
                    case "COPY" -> {
                        if (!argument.startsWith("--from")) {
                            String[] paths = argument.split("\\s+");
                            copies.put(paths[0], paths[1]);
                        }
                    }
                    default -> { }
                }
            }
            Map<String, String> links = new HashMap<>();
            Matcher link = LINK.matcher(run);
            while (link.find()) {
                links.put(link.group(2), link.group(1));
            }
            return new Dockerfile(workdir, Map.copyOf(env), volume, List.copyOf(expose), user, healthcheck,
                    run.toString(), copies, Map.copyOf(links));
        }

        /**
         * Where {@code path}, as the app resolved it against the working directory {@code local}, is inside the
         * container: the local folder stands for WORKDIR, and symbolic links the image makes are followed.
         */
        String resolve(Path path, Path local) {
            String inContainer = path.startsWith(local)
                    ? workdir + "/" + local.relativize(path).toString().replace('\\', '/') : path.toString();
            for (Map.Entry<String, String> link : links.entrySet()) {
                if (inContainer.startsWith(link.getKey() + "/")) {
                    return link.getValue() + inContainer.substring(link.getKey().length());
                }
            }
            return inContainer;
        }
    }
}
