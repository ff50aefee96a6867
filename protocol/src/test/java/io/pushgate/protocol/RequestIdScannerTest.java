package io.pushgate.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RequestIdScannerTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"op\":\"ping\",\"id\":\"a1\"}`                         | `\"a1\"`",
        "`{\"id\":7,\"op\":\"ping\"}`                              | 7",
        "`{\"op\":\"set\",\"value\":{\"id\":1,\"x\":[1,{\"id\":2}]},\"id\":3}` | 3",
        "`{\"op\":\"set\",\"value\":\"a \\\" \\\\\\\" \\\"id\\\":9\",\"id\":\"z\"}` | `\"z\"`",
        "`  {\"n\":true,\"m\":null,\"k\":-1.5e3 ,\"id\" : 12.50 }`  | 12.50",
        "`{\"id\":\"esc\\u0041\\\"q\"}`                             | `\"escA\\\"q\"`",
        "`{\"op\":\"set\",\"id\":5,\"value\":[[[[[[`               | 5",
        "`{\"op\":\"set\",\"id\":\"x\",\"value\":}`                | `\"x\"`",
        "`{\"op\":\"set\",\"value\":[1,2`                          | ",
        "`{\"op\":\"set\",\"value\":[1,2]]]],\"id\":1}`            | ",
        "`{\"id\":{\"nested\":1}}`                                 | ",
        "`{\"id\":true}`                                           | ",
        "`{\"id\":null}`                                           | ",
        "`[{\"id\":1}]`                                            | ",
        "`\"id\"`                                                  | ",
        "`{\"idx\":1,\"xid\":2}`                                   | ",
        "`{\"op\" \"id\":1}`                                       | ",
    })
    void findsTheTopLevelIdBeforeWhateverIsWrong(String request, String expected) {
        JsonNode id = RequestIdScanner.idOf(request);
        if (expected == null) {
            assertThat(id).isNull();
        } else {
            assertThat(id).isEqualTo(Json.parse(expected));
        }
    }

    @Test
    void aRequestFedInPiecesGivesTheSameIdAsWhole() {
        Random random = new Random(14);
        String[] requests = {
            "{\"op\":\"set\",\"topic\":\"a/é/b\",\"value\":{\"s\":\"ü\\\"}\",\"l\":[1,[2,{\"id\":0}]]},\"id\":\"r-ü-42\"}",
            "{\"value\":\"" + "x".repeat(5000) + "\",\"id\":99}",
            "{\"op\":\"set\",\"id\":-3,\"value\":" + "[".repeat(3000) + "]".repeat(3000) + "}",
        };
        for (String request : requests) {
            JsonNode whole = RequestIdScanner.idOf(request);
            assertThat(whole).isNotNull();
            byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
            for (int round = 0; round < 200; round++) {
                RequestIdScanner scanner = new RequestIdScanner();
                int at = 0;
                while (at < bytes.length) {
                    int next = Math.min(bytes.length, at + 1 + random.nextInt(64));
                    scanner.feed(bytes, at, next);
                    at = next;
                }
                assertThat(scanner.id()).isEqualTo(whole);
            }
        }
    }

    @Test
    void anIdTooLongToBeOneIsNotTaken() {
        assertThat(RequestIdScanner.idOf("{\"id\":\"" + "a".repeat(5000) + "\"}")).isNull();
    }
}
