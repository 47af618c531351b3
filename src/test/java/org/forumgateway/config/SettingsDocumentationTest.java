package org.forumgateway.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README table and the shipped config file agree with {@link ConfigKeys}, the one source of settings. */
class SettingsDocumentationTest {

    @Test
    void readmeTableListsEverySettingWithItsDefault() throws IOException {
        Map<String, List<String>> rows = readmeRows();
        for (Setting setting : ConfigKeys.all()) {
            List<String> row = rows.get(setting.environmentName());
            assertNotNull(row, "README configuration table has no row for " + setting.environmentName());
            if (ConfigKeys.FILE_SETTINGS.contains(setting)) {
                assertEquals("`" + setting.key() + "`", row.get(0), setting.environmentName() + ": config key");
            } else {
                assertTrue(row.get(0).startsWith("–"), setting.environmentName() + " is read from the environment only");
            }
            String documented = row.get(1);
            if (setting.defaultText().isPresent()) {
                assertEquals("`" + setting.defaultValue() + "`", documented, setting.environmentName() + ": default");
            } else {
                assertFalse(documented.startsWith("`"), setting.environmentName() + " has no default value in code, "
                        + "but the README gives " + documented);
            }
        }
    }

    @Test
    void shippedConfigFileHasACommentedLineForEveryFileSetting() throws IOException {
        List<String> lines = Files.readAllLines(Path.of(ConfigLoader.DEFAULT_CONFIG_FILE), StandardCharsets.UTF_8);
        for (Setting setting : ConfigKeys.FILE_SETTINGS) {
            int line = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(setting.key() + "=")) {
                    line = i;
                }
            }
            assertTrue(line >= 0, ConfigLoader.DEFAULT_CONFIG_FILE + " has no line for " + setting.key());
            boolean commented = false;
            for (int i = line - 1; i >= 0 && !lines.get(i).isBlank(); i--) {
                commented |= lines.get(i).startsWith("#");
            }
            assertTrue(commented, setting.key() + " has no comment above it in " + ConfigLoader.DEFAULT_CONFIG_FILE);
        }
    }

    /** Rows of the "Configuration" table by variable name: the cells after the first. */
    private static Map<String, List<String>> readmeRows() throws IOException {
        Map<String, List<String>> rows = new HashMap<>();
        for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("| `")) {
                continue;
            }
            List<String> cells = Arrays.stream(line.substring(1, line.length() - 1).split(" \\| "))
                    .map(String::strip).toList();
            if (cells.size() == 4) {
                rows.put(cells.get(0).replace("`", ""), cells.subList(1, 4));
            }
        }
        return rows;
    }
}
