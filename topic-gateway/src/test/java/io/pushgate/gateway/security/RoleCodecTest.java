package io.pushgate.gateway.security;

import io.pushgate.protocol.GlobalPermission;
import static io.pushgate.gateway.security.PathPermission.READ_TOPIC;
import static io.pushgate.gateway.security.PathPermission.SELECT_TOPIC;
import static io.pushgate.gateway.security.PathPermission.UPDATE_TOPIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.Json;
import io.pushgate.protocol.ProtocolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RoleCodecTest {

    private static final RoleDefinition TRADER = RoleDefinition.builder("TRADER")
            .defaults(SELECT_TOPIC)
            .path("prices", SELECT_TOPIC, READ_TOPIC)
            .path("orders/eu", READ_TOPIC, UPDATE_TOPIC)
            .path("secret")
            .path("")
            .global(GlobalPermission.VIEW_SESSION, GlobalPermission.VIEW_SERVER)
            .includes("CLIENT", "AUDIT.v2")
            .build();

    @Test
    void encodesDeterministically() {
        assertThat(RoleCodec.write(TRADER)).isEqualTo("{\"name\":\"TRADER\","
                + "\"defaultPathPermissions\":[\"SELECT_TOPIC\"],"
                + "\"pathPermissions\":{\"\":[],\"orders/eu\":[\"READ_TOPIC\",\"UPDATE_TOPIC\"],\"prices\":[\"SELECT_TOPIC\",\"READ_TOPIC\"],\"secret\":[]},"
                + "\"globalPermissions\":[\"VIEW_SESSION\",\"VIEW_SERVER\"],"
                + "\"includes\":[\"AUDIT.v2\",\"CLIENT\"]}");
    }

    @Test
    void theMessagingPermissionsDecode() {
        RoleDefinition role = RoleCodec.decode("{\"name\":\"SERVICE\",\"pathPermissions\":{\"svc\":[\"SEND_TO_MESSAGE_HANDLER\","
                + "\"SEND_TO_SESSION\"]},\"globalPermissions\":[\"REGISTER_HANDLER\"]}");
        assertThat(role.globalPermissions()).containsExactly(GlobalPermission.REGISTER_HANDLER);
        assertThat(role.pathPermissions().get("svc")).containsExactlyInAnyOrder(PathPermission.SEND_TO_MESSAGE_HANDLER,
                PathPermission.SEND_TO_SESSION);
        assertThat(RoleCodec.decode(RoleCodec.write(role))).isEqualTo(role);
    }

    @Test
    void roundTrips() {
        assertThat(RoleCodec.decode(RoleCodec.write(TRADER))).isEqualTo(TRADER);
        for (RoleDefinition builtIn : SecurityModel.BUILT_IN_ROLES.values()) {
            assertThat(RoleCodec.decode(RoleCodec.encode(builtIn))).isEqualTo(builtIn);
        }
    }

    @Test
    void leftOutFieldsAreEmpty() {
        RoleDefinition r = RoleCodec.decode("{\"name\":\"EMPTY\"}");
        assertThat(r.defaultPathPermissions()).isEmpty();
        assertThat(r.pathPermissions()).isEmpty();
        assertThat(r.globalPermissions()).isEmpty();
        assertThat(r.includes()).isEmpty();
        assertThat(RoleCodec.decode("{\"name\":\"N\",\"includes\":null,\"pathPermissions\":null}").includes()).isEmpty();
    }

    @Test
    void theNameMayComeFromTheRequest() {
        RoleDefinition r = RoleCodec.decode(Json.parse("{\"defaultPathPermissions\":[\"READ_TOPIC\"]}"), "FROM_URL");
        assertThat(r.name()).isEqualTo("FROM_URL");
        assertThat(RoleCodec.decode(Json.parse("{\"name\":\"SAME\"}"), "SAME").name()).isEqualTo("SAME");
        assertInvalid(() -> RoleCodec.decode(Json.parse("{\"name\":\"OTHER\"}"), "SAME"), "body names the role 'OTHER'");
        assertInvalid(() -> RoleCodec.decode(Json.parse("{}"), "bad name"), "role name 'bad name' is not valid");
    }

    @Test
    void duplicatePermissionsCollapse() {
        RoleDefinition r = RoleCodec.decode("{\"name\":\"D\",\"defaultPathPermissions\":[\"READ_TOPIC\",\"READ_TOPIC\"]}");
        assertThat(r.defaultPathPermissions()).containsExactly(READ_TOPIC);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{\"name\":\"R\",\"defaultPathPermissions\":[\"READ\"]}|unknown path permission 'READ' in defaultPathPermissions",
            "{\"name\":\"R\",\"pathPermissions\":{\"p\":[\"read_topic\"]}}|unknown path permission 'read_topic' in pathPermissions['p']",
            "{\"name\":\"R\",\"globalPermissions\":[\"AUTHENTICATE\"]}|unknown global permission 'AUTHENTICATE'",
            "{\"name\":\"R\",\"globalPermissions\":[\"READ_TOPIC\"]}|unknown global permission 'READ_TOPIC'",
            "{\"name\":\"R\",\"pathPermissions\":{\"/prices\":[]}}|bad path prefix",
            "{\"name\":\"R\",\"pathPermissions\":{\"prices/\":[]}}|bad path prefix",
            "{\"name\":\"R\",\"pathPermissions\":{\"a//b\":[]}}|bad path prefix",
            "{\"name\":\"R\",\"pathPermissions\":{\"a b\":[]}}|bad path prefix",
            "{\"name\":\"R\",\"pathPermissions\":{\"a/*\":[]}}|bad path prefix",
            "{\"name\":\"R\",\"pathPermissions\":[\"prices\"]}|pathPermissions must be an object",
            "{\"name\":\"R\",\"pathPermissions\":{\"p\":\"READ_TOPIC\"}}|must be an array of strings",
            "{\"name\":\"R\",\"defaultPathPermissions\":[1]}|must be an array of strings",
            "{\"name\":\"R\",\"includes\":\"CLIENT\"}|includes must be an array of strings",
            "{\"name\":\"R\",\"includes\":[\"no/slash\"]}|included role name 'no/slash' is not valid",
            "{\"name\":\"R\",\"includes\":[\"\"]}|included role name '' is not valid",
            "{\"name\":\"has space\"}|role name 'has space' is not valid",
            "{\"name\":\"\"}|role name '' is not valid",
            "{\"name\":42}|the role's name must be a string",
            "{\"defaultPathPermissions\":[]}|a role needs a name",
            "{\"name\":\"R\",\"inherits\":[\"CLIENT\"]}|unknown field 'inherits'",
            "[]|a role is a JSON object",
            "\"CLIENT\"|a role is a JSON object",
    })
    void refusesWhatIsNotARole(String json, String message) {
        assertInvalid(() -> RoleCodec.decode(json), message);
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 65})
    void namesAreAtMost64Characters(int length) {
        String name = "N".repeat(length);
        if (length <= RoleDefinition.MAX_NAME_LENGTH) {
            assertThat(RoleCodec.decode("{\"name\":\"" + name + "\"}").name()).isEqualTo(name);
        } else {
            assertInvalid(() -> RoleCodec.decode("{\"name\":\"" + name + "\"}"), "is not valid");
        }
    }

    @Test
    void notJsonIsInvalidToo() {
        assertInvalid(() -> RoleCodec.decode("{\"name\":"), "not valid JSON");
    }

    private static void assertInvalid(Runnable decode, String message) {
        assertThatThrownBy(decode::run)
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID))
                .hasMessageContaining(message);
    }
}
