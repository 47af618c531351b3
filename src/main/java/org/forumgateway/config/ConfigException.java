package org.forumgateway.config;

/**
 * A setting is missing or invalid. Its message is one line that names the setting, fit to print as
 * the only output of a failed start-up.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }

    /** An invalid value of {@code setting}, reported with the environment variable that overrides it. */
    static ConfigException invalid(Setting setting, String problem) {
        return new ConfigException(setting.describe() + " " + problem);
    }
}
