package org.forumgateway.config;

import java.util.Locale;

/**
 * The name of one setting: a dotted key as written in the config file and the environment variable
 * that overrides it ({@code locale.default} and {@code LOCALE_DEFAULT}).
 */
record Setting(String key) {

    String environmentName() {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** How errors name it: the variable alone for environment-only settings, both otherwise. */
    String describe() {
        return ConfigKeys.ENVIRONMENT_ONLY.contains(this) ? environmentName() : environmentName() + " (" + key + ")";
    }
}
