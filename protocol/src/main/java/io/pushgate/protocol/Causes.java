package io.pushgate.protocol;

import java.util.concurrent.CompletionException;

/** The error behind the wrappers that asynchronous code puts around it. */
public final class Causes {

    private Causes() {
    }

    /** {@code error} without the {@link CompletionException}s around it. */
    public static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
