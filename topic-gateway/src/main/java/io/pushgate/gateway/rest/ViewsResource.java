package io.pushgate.gateway.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pushgate.gateway.views.ViewEngine;
import io.pushgate.gateway.views.ViewStore;
import io.pushgate.gateway.topics.TopicTree;
import io.pushgate.gateway.operations.TopicService;
import io.pushgate.gateway.security.Access;
import io.pushgate.gateway.selectors.TopicSelector;
import io.pushgate.gateway.topics.Topic;
import io.pushgate.gateway.views.PathTemplate;
import io.pushgate.gateway.views.ViewParser;
import io.pushgate.gateway.views.ViewDefinition;
import io.pushgate.gateway.views.ViewSpec;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Topic views: {@code PUT /v1/views/{name}} with the view's DSL text as the body creates or
 * replaces it; {@code GET} returns it ({@code text/plain}: the text; JSON: name, text and its
 * reference topics); {@code DELETE} removes it and its reference topics; {@code GET /v1/views}
 * lists them. Changing views needs MODIFY_TOPIC on the root of the view's target paths. A view is
 * shown only to a caller who may select the roots of both its source selector and its target (to
 * others it is as if it did not exist), with only the reference topics the caller may select; the
 * view itself acts with its creator's rights (see {@link ViewDefinition}).
 */
@Path("/v1/views")
public class ViewsResource {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final int MAX_TEXT = 16_384;

    private final ViewEngine engine;
    private final ViewStore viewStore;
    private final TopicTree tree;
    private final TopicService topics;
    private final RequestAccess access;

    public ViewsResource(ViewEngine engine, ViewStore viewStore, TopicTree tree, TopicService topics, RequestAccess access) {
        this.engine = engine;
        this.viewStore = viewStore;
        this.tree = tree;
        this.topics = topics;
        this.access = access;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode list() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode views = body.putArray("views");
        for (String name : new TreeSet<>(engine.names())) {
            engine.definition(name).filter(this::visible).ifPresent(spec -> views.add(describe(name, spec)));
        }
        return body;
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.TEXT_PLAIN)
    public String text(@PathParam("name") String name) {
        return findVisible(name).text();
    }

    @GET
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public ObjectNode json(@PathParam("name") String name) {
        return describe(name, findVisible(name));
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<Response> put(@PathParam("name") String name, String text) {
        validName(name);
        if (text == null || text.isBlank()) {
            throw ProtocolException.invalid("the body is the view's text, e.g. map ?prices/ to views/<path(1)>");
        }
        if (text.length() > MAX_TEXT) {
            throw new ProtocolException(ErrorCode.TOO_LARGE, "a view's text is at most " + MAX_TEXT + " characters");
        }
        ViewSpec spec = ViewParser.parse(text);
        Access caller = access.current();
        requireModify(caller, spec);
        return viewStore.put(name, new ViewDefinition(text, access.caller()).encode()).thenCompose(created ->
                awaitDefined(name, spec)
                        .thenCompose(v -> viewStore.claim(name))
                        .thenCompose(v -> engine.settled())
                        .thenApply(v -> Response.status(created ? 201 : 200).entity(describe(name, spec, caller)).build()));
    }

    @DELETE
    @Path("{name}")
    @Produces(MediaType.APPLICATION_JSON)
    public CompletionStage<ObjectNode> delete(@PathParam("name") String name) {
        // A view the caller may not see is not found, as for GET: a 403 would say that it exists.
        ViewSpec spec = findVisible(name);
        requireModify(access.current(), spec);
        return viewStore.remove(name).thenCompose(existed -> {
            if (!existed) {
                throw ProtocolException.notFound("no view " + name);
            }
            List<CompletableFuture<Boolean>> removals = new ArrayList<>();
            for (Topic topic : tree.all()) {
                if (name.equals(topic.spec().view())) {
                    removals.add(topics.removeReference(topic.path()).toCompletableFuture());
                }
            }
            return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).thenCompose(v -> awaitUndefined(name)).thenApply(v -> {
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.put("removed", name);
                body.put("referenceTopicsRemoved", removals.size());
                return body;
            });
        });
    }

    private ViewSpec find(String name) {
        validName(name);
        return engine.definition(name).orElseThrow(() -> ProtocolException.notFound("no view " + name));
    }

    /** A view the caller may see, else the same NOT_FOUND as for a view that does not exist. */
    private ViewSpec findVisible(String name) {
        ViewSpec spec = find(name);
        if (!visible(spec)) {
            throw ProtocolException.notFound("no view " + name);
        }
        return spec;
    }

    /** Whether the caller may select the roots of the view's source selector and of its target. */
    private boolean visible(ViewSpec spec) {
        Access caller = access.current();
        return caller.canSelect(TopicSelector.parse(spec.selector()).rootPath()) && caller.canSelect(targetRoot(spec));
    }

    /** Waits (briefly) until this replica has the definition, so a GET right after the PUT sees it. */
    private CompletionStage<Void> awaitDefined(String name, ViewSpec spec) {
        return await(() -> engine.definition(name).filter(spec::equals).isPresent());
    }

    /** Waits (briefly) until this replica has dropped the definition, so a GET right after the DELETE answers 404. */
    private CompletionStage<Void> awaitUndefined(String name) {
        return await(() -> engine.definition(name).isEmpty());
    }

    private CompletionStage<Void> await(java.util.function.BooleanSupplier condition) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        poll(condition, System.nanoTime() + 2_000_000_000L, done);
        return done;
    }

    private void poll(java.util.function.BooleanSupplier condition, long deadline, CompletableFuture<Void> done) {
        if (condition.getAsBoolean() || System.nanoTime() > deadline) {
            done.complete(null);
        } else {
            CompletableFuture.delayedExecutor(10, java.util.concurrent.TimeUnit.MILLISECONDS).execute(() -> poll(condition, deadline, done));
        }
    }

    private ObjectNode describe(String name, ViewSpec spec) {
        return describe(name, spec, access.current());
    }

    /** With the caller's access taken on the request's thread (a completion stage may run elsewhere). */
    private ObjectNode describe(String name, ViewSpec spec, Access caller) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("name", name);
        node.put("text", spec.text());
        ArrayNode topics = node.putArray("referenceTopics");
        for (Topic topic : tree.all()) {
            if (name.equals(topic.spec().view()) && caller.canSelect(topic.path())) {
                topics.add(topic.path());
            }
        }
        return node;
    }

    private static void validName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw ProtocolException.invalid("a view name is 1 to 64 of A-Z a-z 0-9 _ . -");
        }
    }

    /** MODIFY_TOPIC on the literal root of the target paths (e.g. {@code views} for {@code views/<path(1)>/usd}). */
    private static void requireModify(Access access, ViewSpec spec) {
        String path = targetRoot(spec);
        if (!access.canModify(path)) {
            throw new ProtocolException(ErrorCode.PERMISSION_DENIED, "creating views needs MODIFY_TOPIC on " + (path.isEmpty() ? "every path" : path));
        }
    }

    /** The literal root of the target paths: {@code views} for {@code views/<path(1)>/usd}, {@code ""} when none. */
    private static String targetRoot(ViewSpec spec) {
        StringBuilder root = new StringBuilder();
        for (PathTemplate.Part part : spec.target().parts()) {
            if (part instanceof PathTemplate.Literal literal) {
                root.append(literal.text());
            } else {
                break;
            }
        }
        String path = root.toString();
        int cut = path.lastIndexOf('/');
        return cut < 0 ? path : path.substring(0, cut);
    }
}
