package org.forumgateway;

import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigException;
import org.forumgateway.config.ConfigLoader;
import org.forumgateway.logging.RedactingLayout;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Starts forum-gateway from the working directory's config and environment, and stops it on SIGTERM or
 * Ctrl-C. A configuration error ends start-up with one line on stderr and exit code 2.
 */
public final class Main {
    static final int CONFIG_ERROR_EXIT = 2;

    private Main() {
    }

    /** The token was refused after start-up went on without the Bot API: stop as a refused token at start does. */
    private static void tokenRefusedLater(ConfigException refused) {
        System.err.println("forum-gateway: " + RedactingLayout.redact(refused.getMessage()));
        System.exit(CONFIG_ERROR_EXIT);
    }

    public static void main(String[] args) {
        Stopping stopping = new Stopping();
        // Registered before anything starts: a stop signal while starting (/healthz answers early) must still find
        // a hook, or the JVM reports "Shutdown in progress" with a stack trace and closes nothing.
        Runtime.getRuntime().addShutdownHook(new Thread(stopping::stop, "shutdown"));
        AppConfig config;
        Application application;
        try {
            config = ConfigLoader.load(System.getenv(), Path.of("").toAbsolutePath());
            application = Application.start(config, Clock.systemUTC(), Main::tokenRefusedLater);
        } catch (ConfigException e) {
            stopping.startFailed();
            // Not through the logger (a configuration error is one plain line), but with tokens removed as it would.
            System.err.println("forum-gateway: " + RedactingLayout.redact(e.getMessage()));
            System.exit(CONFIG_ERROR_EXIT);
            return;
        } catch (RuntimeException e) {
            stopping.startFailed();
            // Through the logger, whose layout removes tokens, never straight to stderr.
            LoggerFactory.getLogger(Main.class).error("forum-gateway could not start", e);
            System.exit(1);
            return;
        }
        stopping.started(application);
        stopping.awaitStopped();
    }

    /**
     * The application as the shutdown hook sees it. A stop signal while starting waits for the start to finish (the
     * JVM halts as soon as its hooks return) and then closes what started, once.
     */
    private static final class Stopping {
        /** Longer than a start takes on a slow machine; a start that hangs does not hold the stop for ever. */
        private static final long START_WAIT_SECONDS = 60;

        private final CountDownLatch startFinished = new CountDownLatch(1);
        private final CountDownLatch stopped = new CountDownLatch(1);
        private volatile Application application;

        void started(Application started) {
            application = started;
            startFinished.countDown();
        }

        void startFailed() {
            startFinished.countDown();
        }

        /** The shutdown hook. */
        void stop() {
            try {
                startFinished.await(START_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Application running = application;
            if (running != null) {
                running.close();
            }
            stopped.countDown();
        }

        void awaitStopped() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
