package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import static io.pushgate.protocol.GlobalPermission.CONTROL_SERVER;
import static io.pushgate.protocol.GlobalPermission.MODIFY_SECURITY;
import static io.pushgate.protocol.GlobalPermission.MODIFY_SESSION;
import static io.pushgate.protocol.GlobalPermission.VIEW_SECURITY;
import static io.pushgate.protocol.GlobalPermission.VIEW_SERVER;
import static io.pushgate.protocol.GlobalPermission.VIEW_SESSION;
import static io.pushgate.gateway.security.PathPermission.EDIT_OWN_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.EDIT_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.MODIFY_TOPIC;
import static io.pushgate.gateway.security.PathPermission.QUERY_OBSOLETE_TIME_SERIES_EVENTS;
import static io.pushgate.gateway.security.PathPermission.READ_TOPIC;
import static io.pushgate.gateway.security.PathPermission.SELECT_TOPIC;
import static io.pushgate.gateway.security.PathPermission.UPDATE_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.gateway.security.SecurityModel.PathEvaluation;
import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecurityModelTest {

    private static Set<PathPermission> perms(Access access, String path) {
        return ((ResolvedAccess) access).permissions(path);
    }

    private static Access access(SecurityModel model, String... roles) {
        return model.accessFor("p", Arrays.asList(roles));
    }

    // ---- built in roles

    @Test
    void clientSelectsAndReadsEverywhereAndNothingElse() {
        Access a = access(SecurityModel.builtIn(), "CLIENT");
        for (String path : List.of("prices/btc", "a", "deep/ly/nested/path")) {
            assertThat(perms(a, path)).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
        }
        assertThat(a.canUpdate("prices/btc")).isFalse();
        assertThat(a.canModify("prices/btc")).isFalse();
        for (GlobalPermission g : GlobalPermission.values()) {
            assertThat(a.hasGlobal(g)).as(g.name()).isFalse();
        }
    }

    @Test
    void topicControlAddsUpdatesAndRemoves() {
        Access a = access(SecurityModel.builtIn(), "TOPIC_CONTROL");
        assertThat(perms(a, "x/y")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC, MODIFY_TOPIC);
        assertThat(a.canEditTimeSeries("x/y")).isFalse();
        assertThat(a.hasGlobal(MODIFY_SECURITY)).isFalse();
    }

    @Test
    void administratorHasEverything() {
        Access a = access(SecurityModel.builtIn(), "ADMINISTRATOR");
        assertThat(perms(a, "any/path")).containsExactlyInAnyOrder(PathPermission.values());
        assertThat(a.canEditTimeSeries("t")).isTrue();
        assertThat(a.canEditOwnTimeSeries("t")).isTrue();
        assertThat(a.canQueryObsoleteTimeSeries("t")).isTrue();
        for (GlobalPermission g : GlobalPermission.values()) {
            assertThat(a.hasGlobal(g)).as(g.name()).isTrue();
        }
    }

    @Test
    void operatorViewsAndControlsTheServerAndReads() {
        Access a = access(SecurityModel.builtIn(), "OPERATOR");
        assertThat(perms(a, "x")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
        assertThat(EnumSet.allOf(GlobalPermission.class).stream().filter(a::hasGlobal))
                .containsExactlyInAnyOrder(VIEW_SERVER, CONTROL_SERVER, VIEW_SESSION);
    }

    @Test
    void aStoredDefinitionReplacesABuiltInOneAndRemovingItRestoresIt() {
        SecurityModel model = SecurityModel.of(List.of(RoleDefinition.builder("CLIENT").defaults(SELECT_TOPIC).build()));
        assertThat(access(model, "CLIENT").canRead("prices/btc")).isFalse();
        assertThat(access(model, "CLIENT").canSelect("prices/btc")).isTrue();
        assertThat(model.storedRoles()).containsOnlyKeys("CLIENT");

        SecurityModel restored = model.withoutRole("CLIENT");
        assertThat(access(restored, "CLIENT").canRead("prices/btc")).isTrue();
        assertThat(restored.role("CLIENT")).contains(SecurityModel.BUILT_IN_ROLES.get("CLIENT"));
    }

    @Test
    void noRolesOrUnknownRolesGrantNothing() {
        for (Access a : List.of(access(SecurityModel.builtIn()), access(SecurityModel.builtIn(), "NOPE", "default-roles-pushgate"))) {
            assertThat(perms(a, "x")).isEmpty();
            assertThat(perms(a, "")).isEmpty();
            assertThat(a.hasGlobal(VIEW_SESSION)).isFalse();
        }
    }

    // ---- most specific prefix within a role

    private final SecurityModel prefixes = SecurityModel.of(List.of(RoleDefinition.builder("R")
            .defaults(SELECT_TOPIC)
            .path("prices", SELECT_TOPIC, READ_TOPIC)
            .path("prices/secret")
            .path("prices/secret/open", SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC)
            .build()));
    private final Access prefixed = access(prefixes, "R");

    @Test
    void thePrefixCoversItselfAndItsDescendants() {
        assertThat(perms(prefixed, "prices")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
        assertThat(perms(prefixed, "prices/btc")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
        assertThat(perms(prefixed, "prices/btc/usd")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
    }

    @Test
    void aDeeperEmptyAssignmentTakesAwayWhatAShallowerOneGave() {
        assertThat(perms(prefixed, "prices/secret")).isEmpty();
        assertThat(perms(prefixed, "prices/secret/x/y")).isEmpty();
    }

    @Test
    void aStillDeeperAssignmentGivesBack() {
        assertThat(perms(prefixed, "prices/secret/open")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC);
        assertThat(perms(prefixed, "prices/secret/open/1")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC);
        assertThat(perms(prefixed, "prices/secret/opener")).isEmpty();
    }

    @Test
    void prefixesMatchWholeSegmentsOnly() {
        assertThat(perms(prefixed, "prices2")).containsExactly(SELECT_TOPIC);
        assertThat(perms(prefixed, "prices2/btc")).containsExactly(SELECT_TOPIC);
        assertThat(perms(prefixed, "pri")).containsExactly(SELECT_TOPIC);
        assertThat(perms(prefixed, "other/prices")).containsExactly(SELECT_TOPIC);
    }

    @Test
    void defaultsApplyWhereNoPrefixIsAssigned() {
        assertThat(perms(prefixed, "news/today")).containsExactly(SELECT_TOPIC);
        assertThat(perms(prefixed, "")).containsExactly(SELECT_TOPIC);
    }

    @Test
    void anAssignmentAtTheRootPrefixOverridesTheDefaults() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("R").defaults(SELECT_TOPIC, READ_TOPIC)
                .path("", UPDATE_TOPIC).path("a", MODIFY_TOPIC).build()));
        assertThat(perms(access(m, "R"), "x")).containsExactly(UPDATE_TOPIC);
        assertThat(perms(access(m, "R"), "")).containsExactly(UPDATE_TOPIC);
        assertThat(perms(access(m, "R"), "a/b")).containsExactly(MODIFY_TOPIC);
    }

    // ---- several roles

    private final RoleDefinition noSecret = RoleDefinition.builder("NO_SECRET").path("secret").build();
    private final RoleDefinition poster = RoleDefinition.builder("POSTER").path("chat", UPDATE_TOPIC).build();
    private final SecurityModel diffusion = SecurityModel.of(List.of(noSecret, poster));
    private final SecurityModel perRole = diffusion.withEvaluation(PathEvaluation.PER_ROLE);

    @Test
    void theDefaultRuleIsDiffusions() {
        assertThat(SecurityModel.builtIn().evaluation()).isEqualTo(PathEvaluation.NEAREST_ASSIGNMENT);
        assertThat(SecurityModel.of(List.of()).evaluation()).isEqualTo(PathEvaluation.NEAREST_ASSIGNMENT);
    }

    @Test
    void withoutAssignmentsTheDefaultsOfAllRolesAddUp() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("A").defaults(SELECT_TOPIC).build(),
                RoleDefinition.builder("B").defaults(UPDATE_TOPIC).build()));
        assertThat(perms(access(m, "A", "B"), "x/y")).containsExactlyInAnyOrder(SELECT_TOPIC, UPDATE_TOPIC);
        assertThat(perms(access(m.withEvaluation(PathEvaluation.PER_ROLE), "A", "B"), "x/y"))
                .containsExactlyInAnyOrder(SELECT_TOPIC, UPDATE_TOPIC);
    }

    @Test
    void assignmentsOfSeveralRolesAtTheSamePrefixAddUp() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("A").path("p", READ_TOPIC).build(),
                RoleDefinition.builder("B").path("p", UPDATE_TOPIC).build()));
        assertThat(perms(access(m, "A", "B"), "p/q")).containsExactlyInAnyOrder(READ_TOPIC, UPDATE_TOPIC);
    }

    @Test
    void nearestAssignment_anyRolesAssignmentOverridesEveryRolesDefaults() {
        Access a = access(diffusion, "CLIENT", "NO_SECRET");
        assertThat(a.canRead("secret/plans")).isFalse();
        assertThat(a.canSelect("secret")).isFalse();
        assertThat(a.canRead("public/news")).isTrue();
    }

    @Test
    void nearestAssignment_anAssignmentReplacesRatherThanAdds() {
        Access a = access(diffusion, "CLIENT", "POSTER");
        assertThat(perms(a, "chat/lobby")).containsExactly(UPDATE_TOPIC);
        assertThat(perms(a, "news")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
    }

    @Test
    void nearestAssignment_aDeeperAssignmentOfOneRoleHidesAShallowerOneOfAnother() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("A").path("a", SELECT_TOPIC, READ_TOPIC).build(),
                RoleDefinition.builder("B").path("a/b", UPDATE_TOPIC).build()));
        assertThat(perms(access(m, "A", "B"), "a/b/c")).containsExactly(UPDATE_TOPIC);
        assertThat(perms(access(m, "A", "B"), "a/x")).containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC);
        assertThat(perms(access(m.withEvaluation(PathEvaluation.PER_ROLE), "A", "B"), "a/b/c"))
                .containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC);
    }

    @Test
    void perRole_eachRoleNarrowsOnlyItself() {
        assertThat(access(perRole, "CLIENT", "NO_SECRET").canRead("secret/plans")).isTrue();
        assertThat(perms(access(perRole, "CLIENT", "POSTER"), "chat/lobby"))
                .containsExactlyInAnyOrder(SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC);
        assertThat(perms(access(perRole, "NO_SECRET"), "secret/x")).isEmpty();
    }

    @Test
    void globalPermissionsAddUp() {
        Access a = access(SecurityModel.builtIn(), "OPERATOR", "CLIENT");
        assertThat(a.hasGlobal(VIEW_SERVER)).isTrue();
        assertThat(a.hasGlobal(MODIFY_SESSION)).isFalse();
    }

    // ---- inclusion

    @Test
    void anIncludedRolesPermissionsCountAsTheIncludingRoles() {
        SecurityModel m = SecurityModel.of(List.of(
                RoleDefinition.builder("TRADER").includes("CLIENT").path("orders", SELECT_TOPIC, READ_TOPIC, UPDATE_TOPIC).build(),
                RoleDefinition.builder("AUDITOR").includes("OPERATOR").global(VIEW_SECURITY).build()));
        Access trader = access(m, "TRADER");
        assertThat(trader.canRead("prices/btc")).isTrue();
        assertThat(trader.canUpdate("orders/1")).isTrue();
        assertThat(trader.canUpdate("prices/btc")).isFalse();
        Access auditor = access(m, "AUDITOR");
        assertThat(auditor.hasGlobal(VIEW_SECURITY)).isTrue();
        assertThat(auditor.hasGlobal(VIEW_SERVER)).isTrue();
        assertThat(auditor.canRead("x")).isTrue();
    }

    @Test
    void inclusionIsTransitive() {
        SecurityModel m = SecurityModel.of(List.of(
                RoleDefinition.builder("A").includes("B").build(),
                RoleDefinition.builder("B").includes("C").build(),
                RoleDefinition.builder("C").global(VIEW_SESSION).path("c", READ_TOPIC).build()));
        assertThat(access(m, "A").hasGlobal(VIEW_SESSION)).isTrue();
        assertThat(access(m, "A").canRead("c/1")).isTrue();
        assertThat(m.closure(List.of("A")).stream().map(RoleDefinition::name)).containsExactly("A", "B", "C");
    }

    @Test
    void cyclesAreToleratedAndEachRoleCountsOnce() {
        SecurityModel m = SecurityModel.of(List.of(
                RoleDefinition.builder("A").includes("B").path("a", READ_TOPIC).build(),
                RoleDefinition.builder("B").includes("C").path("b", READ_TOPIC).build(),
                RoleDefinition.builder("C").includes("A", "C").path("c", READ_TOPIC).global(VIEW_SERVER).build()));
        Access a = access(m, "B");
        assertThat(a.canRead("a/1")).isTrue();
        assertThat(a.canRead("b/1")).isTrue();
        assertThat(a.canRead("c/1")).isTrue();
        assertThat(a.canRead("d/1")).isFalse();
        assertThat(a.hasGlobal(VIEW_SERVER)).isTrue();
        assertThat(m.closure(List.of("B"))).hasSize(3);
    }

    @Test
    void anInclusionCycleCanBeFound() {
        SecurityModel m = SecurityModel.of(List.of(
                RoleDefinition.builder("A").includes("B").build(),
                RoleDefinition.builder("B").includes("C").build(),
                RoleDefinition.builder("C").includes("A").build(),
                RoleDefinition.builder("SELF").includes("SELF").build(),
                RoleDefinition.builder("D").includes("A", "CLIENT").build()));
        assertThat(m.inclusionCycle("A")).contains(List.of("A", "B", "C", "A"));
        assertThat(m.inclusionCycle("SELF")).contains(List.of("SELF", "SELF"));
        assertThat(m.inclusionCycle("D")).isEmpty(); // D leads into a cycle but not back to D
        assertThat(m.inclusionCycle("CLIENT")).isEmpty();
        assertThat(m.inclusionCycle("UNKNOWN")).isEmpty();
    }

    @Test
    void anIncludedRoleWithoutDefinitionGrantsNothing() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("A").includes("GHOST").defaults(SELECT_TOPIC).build()));
        assertThat(perms(access(m, "A"), "x")).containsExactly(SELECT_TOPIC);
    }

    // ---- resolved access and snapshots

    @Test
    void timeSeriesPermissionsAreTheirOwn() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("TS")
                .path("series", READ_TOPIC, UPDATE_TOPIC, EDIT_OWN_TIME_SERIES_EVENTS)
                .path("series/audited", READ_TOPIC, QUERY_OBSOLETE_TIME_SERIES_EVENTS, EDIT_TIME_SERIES_EVENTS)
                .build()));
        Access a = m.accessFor("alice", List.of("TS"));
        assertThat(a.canEditOwnTimeSeries("series/x")).isTrue();
        assertThat(a.canEditTimeSeries("series/x")).isFalse();
        assertThat(a.canQueryObsoleteTimeSeries("series/x")).isFalse();
        assertThat(a.canEditTimeSeries("series/audited/x")).isTrue();
        assertThat(a.canQueryObsoleteTimeSeries("series/audited/x")).isTrue();
        assertThat(a.canEditOwnTimeSeries("series/audited/x")).isFalse();
    }

    @Test
    void sessionsWithTheSameRolesShareOneResolutionButKeepTheirPrincipals() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("X").build()));
        Access alice = m.accessFor("alice", List.of("CLIENT", "X", "unknown"));
        Access bob = m.accessFor("bob", List.of("X", "CLIENT"));
        assertThat(alice.principal()).isEqualTo("alice");
        assertThat(bob.principal()).isEqualTo("bob");
        assertThat(m.cachedRoleSets()).isEqualTo(1);
        m.accessFor("carol", List.of("TOPIC_CONTROL"));
        assertThat(m.cachedRoleSets()).isEqualTo(2);
    }

    @Test
    void aChangedRoleMakesANewSnapshotAndLeavesTheOldOneAlone() {
        SecurityModel before = SecurityModel.builtIn();
        Access old = before.accessFor("alice", List.of("CLIENT"));
        SecurityModel after = before.withRole(RoleDefinition.builder("CLIENT").path("prices").defaults(SELECT_TOPIC, READ_TOPIC).build());
        assertThat(old.canRead("prices/btc")).isTrue();
        assertThat(before.accessFor("alice", List.of("CLIENT")).canRead("prices/btc")).isTrue();
        assertThat(after.accessFor("alice", List.of("CLIENT")).canRead("prices/btc")).isFalse();
        assertThat(after.accessFor("alice", List.of("CLIENT")).canRead("news")).isTrue();
    }

    @Test
    void allowAllAllowsEverything() {
        Access a = Access.ALLOW_ALL;
        assertThat(a.canSelect("x") && a.canRead("x") && a.canUpdate("x") && a.canModify("x")
                && a.canEditTimeSeries("x") && a.canEditOwnTimeSeries("x") && a.canQueryObsoleteTimeSeries("x")).isTrue();
        assertThat(Arrays.stream(GlobalPermission.values()).allMatch(a::hasGlobal)).isTrue();
        assertThat(a.principal()).isEqualTo("anonymous");
    }

    @Test
    void theCompiledTrieHasANodePerAssignedSegment() {
        SecurityModel m = SecurityModel.of(List.of(RoleDefinition.builder("R")
                .path("a/b/c", READ_TOPIC).path("a/d", READ_TOPIC).build()));
        PermissionTrie trie = PermissionTrie.compile(m.closure(List.of("R")), PathEvaluation.NEAREST_ASSIGNMENT);
        assertThat(trie.size()).isEqualTo(5); // "", a, a/b, a/b/c, a/d
        assertThat(PermissionTrie.compile(m.closure(List.of("CLIENT")), PathEvaluation.NEAREST_ASSIGNMENT).size()).isEqualTo(1);
    }

    // ---- validation

    @Test
    void roleNamesAndPrefixesAreChecked() {
        assertThatThrownBy(() -> RoleDefinition.builder("bad name").build())
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID));
        assertThatThrownBy(() -> RoleDefinition.builder("R").path("/prices", READ_TOPIC).build())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("bad path prefix");
        assertThatThrownBy(() -> RoleDefinition.builder("R").includes("no way").build())
                .isInstanceOf(ProtocolException.class).hasMessageContaining("included role name");
        assertThat(RoleDefinition.isValidName("a".repeat(64))).isTrue();
        assertThat(RoleDefinition.isValidName("a".repeat(65))).isFalse();
    }

    @Test
    void definitionsAreImmutable() {
        RoleDefinition r = RoleDefinition.builder("R").defaults(READ_TOPIC).path("p", READ_TOPIC).includes("CLIENT").build();
        assertThatThrownBy(() -> r.defaultPathPermissions().add(UPDATE_TOPIC)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.pathPermissions().get("p").add(UPDATE_TOPIC)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.pathPermissions().put("q", Set.of())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.includes().add("X")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.toBuilder().build()).isEqualTo(r);
    }
}
