package io.pushgate.feeder.sources;

import java.net.URI;

/** The API answered with a status other than 2xx. */
public class ApiStatusException extends RuntimeException {

    private final int status;

    public ApiStatusException(URI uri, int status) {
        super("GET " + uri + " answered " + status);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
