package org.forumgateway.config;

import org.forumgateway.webhooks.WebhookEndpoint;
import org.forumgateway.webhooks.WebhookEventType;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The webhook endpoints: one from {@code WEBHOOK_URL} and {@code WEBHOOK_SECRET} (named {@value #SINGLE_NAME}),
 * any number as {@code webhooks.<name>.url|secret|events} in the config file or {@code WEBHOOKS_<NAME>_URL|...} in
 * the environment. Secrets are never echoed in an error.
 */
final class WebhookSettings {
    static final String SINGLE_NAME = "default";
    static final Setting URL = new Setting("webhook.url");
    static final Setting SECRET = new Setting("webhook.secret");
    static final Setting EVENTS = new Setting("webhook.events");
    private static final Set<Setting> SINGLE = Set.of(URL, SECRET, EVENTS);
    private static final Pattern NAMED_KEY = Pattern.compile("webhooks\\.([a-z0-9][a-z0-9-]{0,39})\\.(url|secret|events)");
    private static final Pattern NAMED_URL_VARIABLE = Pattern.compile("WEBHOOKS_([A-Z0-9][A-Z0-9_]{0,39})_URL");
    /** Standard Webhooks: between 24 and 64 random bytes. */
    private static final int MIN_SECRET_BYTES = 24;
    private static final int MAX_SECRET_BYTES = 64;

    private final Function<Setting, Optional<String>> text;

    private WebhookSettings(Function<Setting, Optional<String>> text) {
        this.text = text;
    }

    /** True for the keys this class reads: the config loader accepts them in the file. */
    static boolean isKey(String key) {
        return SINGLE.contains(new Setting(key)) || NAMED_KEY.matcher(key).matches();
    }

    /**
     * Every endpoint configured, by name.
     *
     * @param text          a setting's value, the environment winning over the file
     * @param fileKeys      the keys of the config file
     * @param variableNames the names of the environment's and .env's variables
     */
    static List<WebhookEndpoint> read(Function<Setting, Optional<String>> text, Set<String> fileKeys,
                                      Set<String> variableNames) {
        WebhookSettings settings = new WebhookSettings(text);
        List<WebhookEndpoint> endpoints = new ArrayList<>();
        settings.endpoint(SINGLE_NAME, URL, SECRET, EVENTS).ifPresent(endpoints::add);
        for (String name : names(fileKeys, variableNames)) {
            if (SINGLE_NAME.equals(name)) {
                throw ConfigException.invalid(setting(name, "url"), "uses the name '" + SINGLE_NAME + "', which is "
                        + URL.environmentName() + "'s: choose another name");
            }
            settings.endpoint(name, setting(name, "url"), setting(name, "secret"), setting(name, "events"))
                    .ifPresent(endpoints::add);
        }
        return endpoints;
    }

    private static Set<String> names(Set<String> fileKeys, Set<String> variableNames) {
        Set<String> names = new TreeSet<>();
        for (String key : fileKeys) {
            Matcher matcher = NAMED_KEY.matcher(key);
            if (matcher.matches()) {
                names.add(matcher.group(1));
            }
        }
        for (String variable : variableNames) {
            Matcher matcher = NAMED_URL_VARIABLE.matcher(variable);
            if (matcher.matches()) {
                names.add(matcher.group(1).toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return names;
    }

    private static Setting setting(String name, String field) {
        return new Setting("webhooks." + name + "." + field);
    }

    private Optional<WebhookEndpoint> endpoint(String name, Setting url, Setting secret, Setting events) {
        Optional<String> address = text.apply(url);
        if (address.isEmpty()) {
            for (Setting other : List.of(secret, events)) {
                if (text.apply(other).isPresent()) {
                    throw ConfigException.invalid(other, "is set but " + url.describe() + " is not");
                }
            }
            return Optional.empty();
        }
        return Optional.of(new WebhookEndpoint(name, url(url, address.get()), secret(secret, url), events(events)));
    }

    private static URI url(Setting setting, String value) {
        try {
            URI uri = new URI(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw ConfigException.invalid(setting, "must be an http or https address such as "
                + "https://crm.example.org/hooks/forum-gateway: got " + beginning(value));
    }

    /**
     * The scheme and host of a URL the loader refused, never its path, query or user part: a receiver may carry a
     * token there, and the log keeps the line.
     */
    static String beginning(String value) {
        int schemeEnd = value.indexOf("://");
        if (schemeEnd < 0) {
            return "a value that is not an address (" + value.length() + " characters)";
        }
        int authorityEnd = schemeEnd + 3;
        while (authorityEnd < value.length() && "/?#".indexOf(value.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        String authority = value.substring(schemeEnd + 3, authorityEnd);
        String host = authority.substring(authority.lastIndexOf('@') + 1);
        return "'" + value.substring(0, schemeEnd + 3) + host + (authorityEnd < value.length() ? "/…'" : "'");
    }

    private String secret(Setting setting, Setting url) {
        String value = text.apply(setting).orElseThrow(() -> ConfigException.invalid(setting, "is not set: "
                + url.describe() + " needs a signing secret, whsec_ and 24 to 64 random bytes in base64 (for example "
                + "whsec_ followed by the output of: openssl rand -base64 32)"));
        // Never echo the value: a nearly right secret is still a secret.
        String problem = "is malformed: expected whsec_ followed by 24 to 64 random bytes in base64 (for example "
                + "whsec_ followed by the output of: openssl rand -base64 32)";
        if (!value.startsWith(WebhookEndpoint.SECRET_PREFIX)) {
            throw ConfigException.invalid(setting, problem);
        }
        try {
            int bytes = Base64.getDecoder().decode(value.substring(WebhookEndpoint.SECRET_PREFIX.length())).length;
            if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
                throw ConfigException.invalid(setting, problem);
            }
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(setting, problem);
        }
        return value;
    }

    private Set<WebhookEventType> events(Setting setting) {
        List<String> names = text.apply(setting).map(value -> Arrays.stream(value.split(","))
                .map(String::strip).filter(item -> !item.isEmpty()).toList()).orElse(List.of());
        if (names.isEmpty()) {
            return EnumSet.allOf(WebhookEventType.class);
        }
        Set<WebhookEventType> types = EnumSet.noneOf(WebhookEventType.class);
        for (String name : names) {
            types.add(WebhookEventType.fromWireName(name).orElseThrow(() -> ConfigException.invalid(setting,
                    "must list event types among " + Arrays.stream(WebhookEventType.values())
                            .map(WebhookEventType::wireName).collect(Collectors.joining(", "))
                            + ": got '" + name + "'")));
        }
        return types;
    }
}
