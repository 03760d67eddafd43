package dev.sluice.core;

import java.util.Collection;
import java.util.List;

import org.jspecify.annotations.NullMarked;

/**
 * Thrown at deployment when configuration is wrong; the one-line message names where the value came
 * from (the file, {@code -D system property}, or the annotated {@code Class#method}), the key and the
 * value, so the operator can fix it. Sluice never runs unlimited on a configuration it does not
 * understand.
 *
 * <p>It carries no stack trace and no cause: the message is the whole report, and a container that
 * logs the failure prints one line of Sluice's instead of a page of frames.
 */
@NullMarked
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The keys whose sources the message names once known; empty when none applies. */
    private final transient List<String> keys;
    private final boolean located;

    /** A problem with one key: the message reads {@code key=value: problem}. */
    public ConfigurationException(String key, String value, String problem) {
        this(key + "=" + value + ": " + problem, List.of(key), false);
    }

    /** A problem that no single key carries. */
    public ConfigurationException(String message) {
        this(message, List.of(), false);
    }

    private ConfigurationException(String message, List<String> keys, boolean located) {
        super(message, null, false, false);
        this.keys = keys;
        this.located = located;
    }

    /** A problem of a group of keys (a section) that no single one of them carries; they tell its source. */
    static ConfigurationException about(Collection<String> keys, String message) {
        return new ConfigurationException(message, List.copyOf(keys), false);
    }

    /** The keys this problem is about, for naming their source. */
    List<String> keys() {
        return keys == null ? List.of() : keys;
    }

    /** Whether the message names its source already. */
    boolean located() {
        return located;
    }

    /** This problem with its source in front: {@code source: key=value: problem}. */
    ConfigurationException from(String source) {
        return new ConfigurationException(source + ": " + getMessage(), keys(), true);
    }
}
