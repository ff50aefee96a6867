package io.pushgate.gateway.remote;

import io.pushgate.gateway.views.RemoteSources;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Produces the gateway's {@link RemoteSources}: the {@link RemoteGateways} of the servers under
 * {@code gateway.remote-servers}, for the view engine to inject. A configuration error (a bad URL,
 * a principal without a password...) fails the start with a message that names the property.
 *
 * <p>{@link Unremovable}: the gateway registers {@link RemoteServersConfig} only through this
 * producer's parameter, and without it (no bean injecting {@code RemoteSources}) its properties
 * would be unknown under {@code gateway.*} and fail the start.
 */
@ApplicationScoped
public class RemoteSourcesProducer {

    @Produces
    @Singleton
    @Unremovable
    RemoteSources remoteSources(RemoteServersConfig config) {
        Map<String, RemoteServerSettings> servers = new LinkedHashMap<>();
        config.servers().forEach((name, server) -> servers.put(name, RemoteServerSettings.of(name, server)));
        return RemoteGateways.of(servers);
    }

    void close(@Disposes RemoteSources sources) {
        if (sources instanceof RemoteGateways gateways) {
            gateways.close();
        }
    }
}
