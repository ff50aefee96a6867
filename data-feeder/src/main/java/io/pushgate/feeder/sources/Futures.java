package io.pushgate.feeder.sources;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for a future and rethrows its own failure rather than a wrapper, so logs and retries see the cause. */
final class Futures {

    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        }
    }

    static RuntimeException rethrow(Throwable cause) throws IOException {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof IOException io) {
            throw io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new IOException(cause);
    }
}
