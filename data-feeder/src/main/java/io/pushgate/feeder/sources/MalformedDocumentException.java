package io.pushgate.feeder.sources;

/** An API answered, but not with what its format promises; a failed fetch like any other. */
public class MalformedDocumentException extends RuntimeException {

    public MalformedDocumentException(String message) {
        super(message);
    }

    public MalformedDocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
