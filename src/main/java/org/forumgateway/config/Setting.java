package org.forumgateway.config;

import java.util.Locale;
import java.util.Optional;

/**
 * One setting: a dotted key as written in the config file, the environment variable that overrides it
 * ({@code locale.default} and {@code LOCALE_DEFAULT}), and its default as text, parsed like a configured value.
 * This is the one place a default is written; the README table is checked against it.
 *
 * @param defaultValue empty when there is none (or when it is derived from other settings)
 */
record Setting(String key, String defaultValue) {

    Setting(String key) {
        this(key, "");
    }

    String environmentName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    Optional<String> defaultText() {
        return defaultValue.isEmpty() ? Optional.empty() : Optional.of(defaultValue);
    }

    /** How errors name it: the variable alone for environment-only settings, both otherwise. */
    String describe() {
        return ConfigKeys.ENVIRONMENT_ONLY.contains(this) ? environmentName() : environmentName() + " (" + key + ")";
    }
}
