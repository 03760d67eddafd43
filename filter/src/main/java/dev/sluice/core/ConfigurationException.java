package dev.sluice.core;

import org.jspecify.annotations.NullMarked;

/**
 * Thrown at deployment when configuration is wrong; the message names the rule, the key and the
 * value, so the operator can fix it. Sluice never runs unlimited on a configuration it does not
 * understand.
 */
@NullMarked
public final class ConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A problem with one key: the message reads {@code key=value: problem}. */
    public ConfigurationException(String key, String value, String problem) {
        super(key + "=" + value + ": " + problem);
    }

    /** A problem that no single key carries. */
    public ConfigurationException(String message) {
        super(message);
    }
}
