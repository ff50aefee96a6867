/**
 * The wiring: CDI producers that build the plain-Java core (tree, hub, mirror, topic service,
 * dispatcher, views, presence, security, session control, messaging) once from the configuration,
 * the store ports in one place ({@link io.pushgate.gateway.wiring.StoreProducers}: Redis, or memory
 * with {@code gateway.store=memory}), and the observers that start and stop them in order
 * ({@link io.pushgate.gateway.wiring.GatewayLifecycle}).
 *
 * <p>Nothing outside this package knows how the core is put together: the adapters ({@code rest},
 * {@code transport}, {@code health}, {@code metrics}) inject the objects they use. The producers are
 * {@code @Singleton} so that what is injected is the object itself, not a client proxy: a socket may
 * close after the container has stopped, when a proxy could no longer resolve.
 */
package io.pushgate.gateway.wiring;
