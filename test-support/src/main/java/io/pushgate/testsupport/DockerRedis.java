package io.pushgate.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** A Testcontainers Redis, used only where a Docker engine answers. */
final class DockerRedis {

    private static Boolean available;

    private DockerRedis() {
    }

    /**
     * True when a Docker engine answers. The socket check first keeps machines without Docker
     * (where only the client is installed) from paying for Testcontainers' discovery.
     * {@code PUSHGATE_TEST_REDIS=local} forces the local binary.
     */
    static synchronized boolean available() {
        if (available == null) {
            boolean socket = Files.exists(Path.of("/var/run/docker.sock")) || System.getenv("DOCKER_HOST") != null;
            boolean forcedLocal = "local".equals(System.getenv("PUSHGATE_TEST_REDIS"));
            available = socket && !forcedLocal && isDockerAvailable();
        }
        return available;
    }

    private static boolean isDockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException e) {
            return false;
        }
    }

    static RedisHandle start() {
        GenericContainer<?> container = new GenericContainer<>(DockerImageName.parse("redis:7.0"))
                .withExposedPorts(6379);
        container.start();
        return new RedisHandle() {
            @Override
            public String uri() {
                return "redis://" + container.getHost() + ":" + port();
            }

            @Override
            public int port() {
                return container.getMappedPort(6379);
            }

            @Override
            public void close() {
                container.stop();
            }
        };
    }
}
