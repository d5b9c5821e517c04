package org.kernelci.batch.app;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import org.kernelci.batch.http.CrossOrigins;
import org.kernelci.batch.http.FrameAncestors;
import org.kernelci.batch.auth.RoleMapping;

/** The service's settings, read from sources in order of precedence. */
public final class Settings {
    /** Where the DataSource is looked up in a servlet container. */
    public static final String DATASOURCE_JNDI_NAME = "java:comp/env/jdbc/kci";
    /** Where a streaming replica's DataSource, serving reads, is looked up. */
    public static final String READ_DATASOURCE_JNDI_NAME = "java:comp/env/jdbc/kci-read";

    private final List<Function<Setting, Optional<String>>> sources;
    private final Optional<DataSource> dataSource;
    private final Optional<DataSource> readDataSource;

    public Settings(List<Function<Setting, Optional<String>>> sources, Optional<DataSource> dataSource) {
        this(sources, dataSource, Optional.empty());
    }

    public Settings(List<Function<Setting, Optional<String>>> sources, Optional<DataSource> dataSource,
                    Optional<DataSource> readDataSource) {
        this.sources = List.copyOf(sources);
        this.dataSource = dataSource;
        this.readDataSource = readDataSource;
    }

    /** JNDI, then system properties, then the environment. */
    public static Settings fromEnvironment() {
        return new Settings(List.of(Settings::jndi, Settings::systemProperty, Settings::environment),
                jndiDataSource(DATASOURCE_JNDI_NAME), jndiDataSource(READ_DATASOURCE_JNDI_NAME));
    }

    /** Fixed values first, then JNDI, system properties and the environment (the launcher). */
    public static Settings withOverrides(Map<Setting, String> values) {
        return new Settings(List.of(setting -> Optional.ofNullable(values.get(setting)),
                Settings::jndi, Settings::systemProperty, Settings::environment),
                jndiDataSource(DATASOURCE_JNDI_NAME), jndiDataSource(READ_DATASOURCE_JNDI_NAME));
    }

    /** Fixed values over the defaults, for tests. */
    public static Settings of(Map<Setting, String> values) {
        return new Settings(List.of(setting -> Optional.ofNullable(values.get(setting))), Optional.empty());
    }

    public Optional<String> get(Setting setting) {
        for (Function<Setting, Optional<String>> source : sources) {
            Optional<String> value = source.apply(setting).filter(v -> !v.isBlank());
            if (value.isPresent()) {
                return value;
            }
        }
        return Optional.ofNullable(setting.defaultValue());
    }

    public String required(Setting setting) {
        return get(setting).orElseThrow(() -> new IllegalStateException(
                "Setting " + setting.environmentName() + " (" + setting.description() + ") is not set"));
    }

    public int positiveInt(Setting setting) {
        String value = required(setting);
        try {
            int number = Integer.parseInt(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("Setting " + setting.environmentName() + " must be a positive integer, not '" + value + "'");
    }

    public long positiveLong(Setting setting) {
        String value = required(setting);
        try {
            long number = Long.parseLong(value.strip());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalStateException("Setting " + setting.environmentName() + " must be a positive integer, not '" + value + "'");
    }

    /** {@code true} or {@code false} (any case); anything else stops the start. */
    public boolean flag(Setting setting) {
        String value = required(setting);
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalStateException(
                    "Setting " + setting.environmentName() + " must be true or false, not '" + value + "'");
        };
    }

    /** One of the setting's choices (any case, lower-cased); anything else stops the start. */
    public String choice(Setting setting) {
        String value = required(setting);
        String chosen = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (!setting.choices().contains(chosen)) {
            throw new IllegalStateException("Setting " + setting.environmentName() + " must be one of "
                    + String.join(", ", setting.choices()) + ", not '" + value + "'");
        }
        return chosen;
    }

    /** The origins of an {@link Setting.Kind#ORIGINS} setting; none when it is unset. */
    public CrossOrigins crossOrigins(Setting setting) {
        return parsed(setting, CrossOrigins::parse).orElse(CrossOrigins.NONE);
    }

    /** The sources of a {@link Setting.Kind#FRAME_SOURCES} setting; {@code 'none'} when it is unset. */
    public FrameAncestors frameAncestors(Setting setting) {
        return parsed(setting, FrameAncestors::parse).orElse(FrameAncestors.NONE);
    }

    /** A mapping of the container's roles to permissions ({@link RoleMapping#parse}); a bad one stops the start. */
    public RoleMapping roles(Setting setting) {
        try {
            return RoleMapping.parse(required(setting));
        } catch (IllegalArgumentException e) {
            throw refused(setting, e);
        }
    }

    /** The setting's value as the parser reads it; its refusal stops the start, naming the setting. */
    private <T> Optional<T> parsed(Setting setting, Function<String, T> parser) {
        try {
            return get(setting).map(parser);
        } catch (IllegalArgumentException e) {
            throw refused(setting, e);
        }
    }

    private static IllegalStateException refused(Setting setting, IllegalArgumentException reason) {
        return new IllegalStateException("Setting " + setting.environmentName() + ": " + reason.getMessage(), reason);
    }

    /**
     * Reads every setting that is set and throws, naming it, at the first whose value is not of
     * its kind: a bad setting stops the start rather than being read as a default.
     */
    public void check() {
        for (Setting setting : Setting.values()) {
            if (get(setting).isEmpty()) {
                continue;
            }
            switch (setting.kind()) {
                case TEXT -> { }
                case POSITIVE_INT -> positiveInt(setting);
                case POSITIVE_LONG -> positiveLong(setting);
                case FLAG -> flag(setting);
                case CHOICE -> choice(setting);
                case ORIGINS -> crossOrigins(setting);
                case FRAME_SOURCES -> frameAncestors(setting);
                case ROLES -> roles(setting);
            }
        }
    }

    /** The container's DataSource, when JNDI has one. */
    public Optional<DataSource> dataSource() {
        return dataSource;
    }

    /** The container's DataSource of a streaming replica for reads, when JNDI has one. */
    public Optional<DataSource> readDataSource() {
        return readDataSource;
    }

    static Optional<String> jndi(Setting setting) {
        return lookup("java:comp/env/" + setting.propertyName()).map(Object::toString);
    }

    static Optional<String> systemProperty(Setting setting) {
        return Optional.ofNullable(System.getProperty(setting.propertyName()));
    }

    static Optional<String> environment(Setting setting) {
        return Optional.ofNullable(System.getenv(setting.environmentName()));
    }

    private static Optional<DataSource> jndiDataSource(String name) {
        return lookup(name).filter(DataSource.class::isInstance).map(DataSource.class::cast);
    }

    private static Optional<Object> lookup(String name) {
        try {
            return Optional.ofNullable(new InitialContext().lookup(name));
        } catch (NamingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
