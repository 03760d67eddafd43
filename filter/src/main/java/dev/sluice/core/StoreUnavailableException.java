package dev.sluice.core;

/**
 * Thrown by a {@link BucketStore} kept outside this JVM when it cannot answer: its deadline passed or
 * it lost its grid. The engine catches it and applies the configured fault mode, so it never
 * reaches an entry point. It carries no stack trace: while a grid is away it is expected, and may
 * be frequent.
 */
public final class StoreUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Says why the store could not answer; {@code cause} may be {@code null}. */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
