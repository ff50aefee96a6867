package io.pushgate.gateway.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.gateway.memory.MemoryGateway;
import io.pushgate.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The request dispatcher on the memory store, through {@link RequestDispatcher#handle}: each op
 * answered with its id ({@code ok} with the seq, an {@code error} with its code), a subscriber
 * receiving what another session sets, and malformed requests refused.
 */
class RequestDispatcherOnMemoryStoreTest {

    private final MemoryGateway gateway = new MemoryGateway().start();

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void aSetWithASpecIsAnsweredWithItsSeqAndReachesASubscriberOfAnotherSession() {
        MemoryGateway.Client reader = gateway.connect();
        MemoryGateway.Client writer = gateway.connect();
        reader.request("{\"op\":\"subscribe\",\"id\":1,\"selector\":\"?prices//\"}");
        assertThat(Json.parse(reader.reply(1)).path("type").asText()).isEqualTo("ok");
        writer.request("{\"op\":\"set\",\"id\":2,\"topic\":\"prices/btc\",\"spec\":{\"type\":\"JSON\"},\"value\":{\"usd\":43000}}");
        assertThat(Json.parse(writer.reply(2)).path("seq").asLong()).isEqualTo(1);
        String value = reader.await(t -> t.contains("43000"));
        assertThat(Json.parse(value).path("seq").asLong()).isEqualTo(1);
    }

    @Test
    void aStaleIfSeqIsAConflictAndAnUnknownTopicIsNotFound() {
        MemoryGateway.Client client = gateway.connect();
        client.request("{\"op\":\"add\",\"id\":1,\"topic\":\"a\",\"spec\":{\"type\":\"JSON\"}}");
        assertThat(Json.parse(client.reply(1)).path("result").asText()).isEqualTo("CREATED");
        client.request("{\"op\":\"set\",\"id\":2,\"topic\":\"a\",\"value\":1,\"ifSeq\":5}");
        assertThat(Json.parse(client.reply(2)).path("code").asText()).isEqualTo("CONFLICT");
        client.request("{\"op\":\"set\",\"id\":3,\"topic\":\"nowhere\",\"value\":1}");
        assertThat(Json.parse(client.reply(3)).path("code").asText()).isEqualTo("NOT_FOUND");
    }

    @Test
    void appendsAndARangeOfATimeSeriesAreAnsweredInOrder() {
        MemoryGateway.Client client = gateway.connect();
        client.request("{\"op\":\"add\",\"id\":1,\"topic\":\"chat\",\"spec\":{\"type\":\"TIME_SERIES\",\"eventType\":\"JSON\"}}");
        client.reply(1);
        client.request("{\"op\":\"append\",\"id\":2,\"topic\":\"chat\",\"value\":\"hi\"}");
        client.request("{\"op\":\"append\",\"id\":3,\"topic\":\"chat\",\"value\":\"yo\"}");
        assertThat(Json.parse(client.reply(3)).path("seq").asLong()).isEqualTo(2);
        client.request("{\"op\":\"range\",\"id\":4,\"topic\":\"chat\",\"fromLast\":10}");
        String range = client.await(t -> t.contains("\"type\":\"range\""));
        assertThat(Json.parse(range).path("events")).hasSize(2);
    }

    @Test
    void aRemoveAnswersHowManyTopicsWentAndAFetchNoLongerFindsThem() {
        MemoryGateway.Client client = gateway.connect();
        client.request("{\"op\":\"set\",\"id\":1,\"topic\":\"x/1\",\"spec\":{\"type\":\"JSON\"},\"value\":1}");
        client.request("{\"op\":\"set\",\"id\":2,\"topic\":\"x/2\",\"spec\":{\"type\":\"JSON\"},\"value\":2}");
        client.reply(2);
        client.request("{\"op\":\"remove\",\"id\":3,\"selector\":\"?x//\"}");
        assertThat(Json.parse(client.reply(3)).path("removed").asInt()).isEqualTo(2);
        client.request("{\"op\":\"fetch\",\"id\":4,\"selector\":\"?x//\"}");
        assertThat(client.reply(4)).doesNotContain("x/1");
    }

    /**
     * A plain set (read by {@link SetFrameReader}) and the same set written so that only the general
     * path reads it (with a field it ignores) get the same answer, error or seq, and the same
     * stored value.
     */
    @Test
    void aPlainSetIsAnsweredAsTheGeneralPathAnswersTheSameSet() {
        MemoryGateway.Client client = gateway.connect();
        client.request("{\"op\":\"add\",\"id\":1,\"topic\":\"n\",\"spec\":{\"type\":\"INT64\"}}");
        client.reply(1);
        client.request("{\"op\":\"add\",\"id\":2,\"topic\":\"j\",\"spec\":{\"type\":\"JSON\"}}");
        client.reply(2);
        String[] sets = {
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"j\",\"value\":{\"a\":1.50,\"b\":[true,null]}}",
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"n\",\"value\":{\"a\":1}}", // not an integer: INVALID
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"n\",\"value\":7}",
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"j\",\"ifSeq\":0,\"value\":{\"c\":2}}", // stale: CONFLICT
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"nowhere\",\"value\":{\"c\":2}}", // NOT_FOUND
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"j\",\"spec\":\"INT64\",\"value\":{\"c\":2}}", // another spec: CONFLICT
            "{\"op\":\"set\",\"id\":%d,\"topic\":\"bad//path\",\"value\":{\"c\":2}}", // INVALID path
        };
        int id = 10;
        for (String set : sets) {
            String plain = String.format(set, id);
            assertThat(SetFrameReader.read(plain, 64)).as(plain).isNotNull();
            client.request(plain);
            com.fasterxml.jackson.databind.JsonNode first = Json.parse(client.reply(id));
            id++;
            // A field the general path ignores and the plain reader does not take.
            String plainOnce = String.format(set, id);
            String general = plainOnce.substring(0, plainOnce.length() - 1) + ",\"note\":0}";
            assertThat(SetFrameReader.read(general, 64)).as(general).isNull();
            client.request(general);
            com.fasterxml.jackson.databind.JsonNode second = Json.parse(client.reply(id));
            id++;
            assertThat(second.path("type")).as(set).isEqualTo(first.path("type"));
            assertThat(second.path("code")).as(set).isEqualTo(first.path("code"));
            assertThat(second.path("message")).as(set).isEqualTo(first.path("message"));
            if (first.has("seq")) {
                assertThat(second.path("seq").asLong()).as(set).isEqualTo(first.path("seq").asLong() + 1);
            }
        }
        client.request("{\"op\":\"fetch\",\"id\":99,\"selector\":\">j\"}");
        assertThat(Json.parse(client.reply(99)).path("results").get(0).path("value")).isEqualTo(Json.parse("{\"a\":1.50,\"b\":[true,null]}"));
    }

    @Test
    void aRequestThatIsNotJsonOrHasAnUnknownOpIsInvalid() {
        MemoryGateway.Client client = gateway.connect();
        client.request("{\"op\":\"nonsense\",\"id\":1}");
        assertThat(Json.parse(client.reply(1)).path("code").asText()).isEqualTo("INVALID");
        client.request("{not json, \"id\":2}");
        assertThat(client.await(t -> t.contains("INVALID") && !t.contains("unknown op"))).contains("error");
    }
}
