package io.pushgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.security.PathPermission;
import io.pushgate.gateway.security.PrincipalOverrides;
import io.pushgate.gateway.security.RoleDefinition;
import io.pushgate.gateway.security.SecurityStore;
import io.pushgate.gateway.topics.TopicSpec;
import io.pushgate.gateway.views.ViewStore;
import io.pushgate.protocol.TopicType;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChangeStream} and the definition stores it carries ({@link ViewStore},
 * {@link SecurityStore}) guarantee, run on each implementation: the resyncs when the stream begins,
 * in order; each store's changes to its own listener, in the order they were made; what each
 * write answers; and what a full load returns.
 */
public abstract class ChangeStreamContract extends StoreContract {

    private static RoleDefinition role(String name, PathPermission... defaults) {
        return RoleDefinition.builder(name).defaults(defaults).build();
    }

    @Test
    void followingBeginsWithAResyncOfSecurityThenTopicsThenViews() {
        assertThat(changes.lines()).startsWith("resync security", "resync topics", "resync views");
    }

    @Test
    void viewDefinitionsAreStoredReplacedAndRemovedEachChangeToTheViewListener() {
        ViewStore views = stores.views();
        assertThat(join(views.put("v1", "first"))).isTrue();
        assertThat(join(views.put("v1", "second"))).isFalse();
        assertThat(join(views.put("v2", "other"))).isTrue();
        assertThat(join(views.remove("v2"))).isTrue();
        assertThat(join(views.remove("v2"))).isFalse();
        changes.await("view removed v2");
        assertThat(changes.starting("view")).containsExactly("view v1 first", "view v1 second", "view v2 other", "view removed v2");
        assertThat(join(views.loadAll())).isEqualTo(Map.of("v1", "second"));
        assertThat(changes.starting("set")).isEmpty();
    }

    @Test
    void rolesAndPrincipalsAreStoredAndRemovedEachChangeToTheSecurityListener() {
        SecurityStore security = stores.security();
        assertThat(join(security.putRole(role("reader", PathPermission.READ_TOPIC)))).isTrue();
        assertThat(join(security.putRole(role("reader", PathPermission.READ_TOPIC, PathPermission.SELECT_TOPIC)))).isFalse();
        assertThat(join(security.putRole(role("temp")))).isTrue();
        assertThat(join(security.removeRole("temp"))).isTrue();
        assertThat(join(security.removeRole("temp"))).isFalse();
        PrincipalOverrides bob = new PrincipalOverrides("bob", Map.of("chat/lobby", Set.of(PathPermission.READ_TOPIC)));
        assertThat(join(security.putPrincipal(bob))).isTrue();
        assertThat(join(security.putPrincipal(new PrincipalOverrides("carol", Map.of("a", Set.of(PathPermission.READ_TOPIC)))))).isTrue();
        join(security.putPrincipal(new PrincipalOverrides("carol", Map.of())));
        changes.await("principal removed carol");
        assertThat(changes.starting("role")).containsExactly("role reader [READ_TOPIC]", "role reader [SELECT_TOPIC, READ_TOPIC]",
                "role temp []", "role removed temp");
        assertThat(changes.starting("principal")).containsExactly("principal bob {chat/lobby=[READ_TOPIC]}",
                "principal carol {a=[READ_TOPIC]}", "principal removed carol");
        SecurityStore.Definitions all = join(security.loadAll());
        assertThat(all.roles()).extracting(RoleDefinition::name).containsExactly("reader");
        assertThat(all.principals()).containsExactly(bob);
    }

    @Test
    void topicViewAndSecurityChangesEachReachOnlyTheirOwnListener() {
        join(stores.topics().add("t", TopicSpec.of(TopicType.JSON)));
        join(stores.views().put("v", "text"));
        join(stores.security().putRole(role("r")));
        changes.await("role r []");
        changes.await("view v text");
        changes.await("added t " + TopicSpec.of(TopicType.JSON).canonicalJson());
        assertThat(changes.lines()).hasSize(6);
    }
}
