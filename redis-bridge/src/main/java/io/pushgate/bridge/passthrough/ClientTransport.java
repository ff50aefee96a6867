package io.pushgate.bridge.passthrough;

import java.util.concurrent.CompletionStage;

/** The wire under one passthrough client (a WebSocket connection in production, a fake in tests). */
public interface ClientTransport {

    /** Writes a frame; completes once it has been written to the socket, or fails. */
    CompletionStage<Void> send(Frame frame);

    /** Closes the connection with a close code and reason. */
    void close(int code, String reason);
}
