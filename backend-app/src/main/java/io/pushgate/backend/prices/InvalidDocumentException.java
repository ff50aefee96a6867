package io.pushgate.backend.prices;

/** A price document that cannot be published: not JSON, not the BPI shape, or without a readable rate. */
public class InvalidDocumentException extends RuntimeException {

    public InvalidDocumentException(String message) {
        super(message);
    }
}
