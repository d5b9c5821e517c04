package org.kernelci.batch.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SettingsTest {
    private static Function<Setting, Optional<String>> source(Map<Setting, String> values) {
        return setting -> Optional.ofNullable(values.get(setting));
    }

    @Test
    @DisplayName("the first source that has a setting wins: JNDI, then system properties, then environment")
    void precedence() {
        Settings settings = new Settings(List.of(
                source(Map.of(Setting.MAX_ROWS, "10")),
                source(Map.of(Setting.MAX_ROWS, "20", Setting.MAX_OPERATIONS, "30")),
                source(Map.of(Setting.MAX_ROWS, "40", Setting.MAX_OPERATIONS, "50", Setting.DB_URL, "jdbc:x"))),
                Optional.empty());
        assertEquals(10, settings.positiveInt(Setting.MAX_ROWS));
        assertEquals(30, settings.positiveInt(Setting.MAX_OPERATIONS));
        assertEquals("jdbc:x", settings.required(Setting.DB_URL));
    }

    @Test
    void blankValuesFallThroughAndDefaultsApplyLast() {
        Settings settings = new Settings(List.of(source(Map.of(Setting.MAX_ROWS, "  "))), Optional.empty());
        assertEquals(10000, settings.positiveInt(Setting.MAX_ROWS));
        assertEquals(1000, settings.positiveInt(Setting.MAX_OPERATIONS));
        assertEquals(Optional.empty(), settings.get(Setting.ADMIN_TOKEN));
    }

    @Test
    void sourcesNameSettingsAsDocumented() {
        assertEquals("KCI_DB_URL", Setting.DB_URL.environmentName());
        assertEquals("KCI_STATEMENT_TIMEOUT_MS", Setting.STATEMENT_TIMEOUT_MS.environmentName());
        assertEquals("kci.max.rows", Setting.MAX_ROWS.propertyName());
    }

    @Test
    void systemPropertiesAreRead() {
        System.setProperty("kci.max.operations", "7");
        try {
            assertEquals(Optional.of("7"), Settings.systemProperty(Setting.MAX_OPERATIONS));
        } finally {
            System.clearProperty("kci.max.operations");
        }
    }

    @Test
    void badValuesNameTheSetting() {
        Settings settings = Settings.of(Map.of(Setting.MAX_ROWS, "many"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> settings.positiveInt(Setting.MAX_ROWS));
        assertEquals("Setting KCI_MAX_ROWS must be a positive integer, not 'many'", e.getMessage());
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> settings.required(Setting.DB_URL));
        assertEquals("Setting KCI_DB_URL (JDBC URL of the PostgreSQL database (unless JNDI jdbc/kci is bound)) is not set",
                missing.getMessage());
    }

    @Test
    @DisplayName("a flag is true or false; anything else stops the start naming the setting")
    void flagsAreTrueOrFalse() {
        assertEquals(true, Settings.of(Map.of(Setting.MIGRATE, "TRUE")).flag(Setting.MIGRATE));
        assertEquals(false, Settings.of(Map.of(Setting.MIGRATE, " false ")).flag(Setting.MIGRATE));
        for (String bad : List.of("yes", "1", "ture", "no")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> Settings.of(Map.of(Setting.MIGRATE, bad)).flag(Setting.MIGRATE));
            assertEquals("Setting KCI_MIGRATE must be true or false, not '" + bad + "'", e.getMessage());
        }
    }

    @Test
    @DisplayName("check() finds the first setting whose value is not of its kind")
    void checkReadsEverySetting() {
        Settings.of(Map.of(Setting.MIGRATE, "false", Setting.DB_POOL_SIZE, "4")).check();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Settings.of(Map.of(Setting.DB_POOL_SIZE, "eight")).check());
        assertEquals("Setting KCI_DB_POOL_SIZE must be a positive integer, not 'eight'", e.getMessage());
    }
}
