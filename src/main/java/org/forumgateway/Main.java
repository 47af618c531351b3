package org.forumgateway;

import org.forumgateway.config.AppConfig;
import org.forumgateway.config.ConfigException;
import org.forumgateway.config.ConfigLoader;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;

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
        System.err.println("forum-gateway: " + refused.getMessage());
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
            System.err.println("forum-gateway: " + e.getMessage());
            System.exit(CONFIG_ERROR_EXIT);
            return;
        } catch (RuntimeException e) {
            // Through the logger, whose layout removes tokens, never straight to stderr.
            LoggerFactory.getLogger(Main.class).error("forum-gateway could not start", e);
            System.exit(1);
            return;
        }
        stopping.started(application);
        stopping.awaitStopped();
    }

    /** The running application as the shutdown hook sees it: closed once, whether started before the signal or after. */
    private static final class Stopping {
        private final CountDownLatch stopped = new CountDownLatch(1);
        private Application application;
        private boolean stopRequested;

        synchronized void started(Application started) {
            if (stopRequested) {
                started.close();
                stopped.countDown();
            } else {
                application = started;
            }
        }

        void stop() {
            Application toClose;
            synchronized (this) {
                stopRequested = true;
                toClose = application;
            }
            if (toClose != null) {
                toClose.close();
                stopped.countDown();
            }
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
