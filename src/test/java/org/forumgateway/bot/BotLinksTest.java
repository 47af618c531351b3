package org.forumgateway.bot;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BotLinksTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080", "http://0.0.0.0"})
    void linksToThisMachineAreUnreachableFromPhones(String url) {
        assertTrue(new BotLinks(Optional.empty(), URI.create(url), true).feedsUnreachable(), url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://forum.example.org", "http://192.168.1.20:8080", "https://kcaf.example.org/bot"})
    void publicAddressesAreReachable(String url) {
        assertFalse(new BotLinks(Optional.empty(), URI.create(url), true).feedsUnreachable(), url);
    }

    @Test
    void onlyReachableHttpLinksCarryTheirSecretInClear() {
        assertTrue(new BotLinks(Optional.empty(), URI.create("http://192.168.1.20:8080"), true).feedsInClear());
        assertFalse(new BotLinks(Optional.empty(), URI.create("https://forum.example.org"), true).feedsInClear());
        assertFalse(new BotLinks(Optional.empty(), URI.create("http://localhost:8080"), true).feedsInClear(),
                "unreachable, which the other warning says");
        assertFalse(new BotLinks(Optional.empty(), URI.create("http://192.168.1.20:8080"), false).feedsInClear(),
                "no feeds without the HTTP server");
    }
}
