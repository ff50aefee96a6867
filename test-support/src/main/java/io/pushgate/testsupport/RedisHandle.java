package io.pushgate.testsupport;

/** A Redis that a test started: where it is, and how to stop it. */
public interface RedisHandle extends AutoCloseable {

    String uri();

    int port();

    @Override
    void close();

    static RedisHandle of(RedisServer server) {
        return new RedisHandle() {
            @Override
            public String uri() {
                return server.uri();
            }

            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() {
                server.stop();
            }
        };
    }
}
