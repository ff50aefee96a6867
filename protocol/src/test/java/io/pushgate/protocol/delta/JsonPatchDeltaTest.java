package io.pushgate.protocol.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchDeltaTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text.replace('\'', '"'));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void diffIsAPlainRfc6902PatchOfAddRemoveReplace() {
        JsonNode from = json("{'a':[1,2,3],'b':{'x/y':1,'t~':2},'price':10}");
        JsonNode to = json("{'a':[1,3,4],'b':{'x/y':2},'price':10,'moved':2}");

        JsonNode patch = JsonPatchDelta.diff(from, to);

        assertThat(patch.isArray()).isTrue();
        assertThat(patch).allSatisfy(op -> {
            assertThat(op.get("op").asText()).isIn("add", "remove", "replace");
            // Only the members RFC 6902 defines for each operation.
            if (op.get("op").asText().equals("remove")) {
                assertThat(op.has("value")).isFalse();
            }
            assertThat(op.has("fromValue")).isFalse();
        });
        // Pointer escaping of '/' and '~'; no "move" although the value 2 left /b/t~ for /moved.
        assertThat(patch.toString()).contains("\"/b/x~1y\"", "\"/b/t~0\"").doesNotContain("\"move\"", "\"copy\"");
        assertThat(JsonPatchDelta.apply(patch, from)).isEqualTo(to);
    }

    @Test
    void diffOfEqualValuesIsEmpty() {
        JsonNode value = json("{'a':[1,{'b':null}]}");
        assertThat(JsonPatchDelta.diff(value, value.deepCopy())).isEmpty();
    }

    @Test
    void replacesTheRootWhenTheTypeChanges() {
        JsonNode patch = JsonPatchDelta.diff(json("{'a':1}"), json("[1]"));
        assertThat(patch).isEqualTo(json("[{'op':'replace','path':'','value':[1]}]"));
        assertThat(JsonPatchDelta.apply(patch, json("{'a':1}"))).isEqualTo(json("[1]"));
    }

    @Test
    void applyLeavesTheSourceAlone() {
        JsonNode source = json("{'a':{'b':[1,2]}}");
        JsonNode before = source.deepCopy();
        JsonNode result = JsonPatchDelta.apply(json("[{'op':'add','path':'/a/b/-','value':3},{'op':'remove','path':'/a/b/0'}]"), source);
        assertThat(result).isEqualTo(json("{'a':{'b':[2,3]}}"));
        assertThat(source).isEqualTo(before);
    }

    @Test
    void appliesEveryRfc6902Operation() {
        // Patches from other tools may use move, copy and test.
        JsonNode patch = json("[{'op':'test','path':'/a','value':1},{'op':'copy','from':'/a','path':'/b'},"
                + "{'op':'move','from':'/a','path':'/c'},{'op':'replace','path':'/b','value':5}]");
        assertThat(JsonPatchDelta.apply(patch, json("{'a':1}"))).isEqualTo(json("{'b':5,'c':1}"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "{'op':'add'}                                     | expected an array of operations",
        "[1]                                              | operation 0 (? ?) is not an object",
        "[{'op':'bogus','path':'/a'}]                     | operation 0 (bogus /a) has an unknown op 'bogus'",
        "[{'path':'/a','value':1}]                        | lacks a text 'op' member",
        "[{'op':'add','value':1}]                         | lacks a text 'path' member",
        "[{'op':'add','path':'/a'}]                       | lacks a 'value' member",
        "[{'op':'move','path':'/a'}]                      | lacks a text 'from' member",
        "[{'op':'add','path':'a','value':1}]              | a 'path' that does not start with '/'",
        "[{'op':'add','path':'/a~2','value':1}]           | a '~' not followed by 0 or 1",
        "[{'op':'remove','path':'/missing'}]              | removes a missing member 'missing'",
        "[{'op':'replace','path':'/missing','value':1}]   | to a location that does not exist",
        "[{'op':'add','path':'/a/b/c','value':1}]         | to a location that does not exist",
        "[{'op':'copy','from':'/nope','path':'/b'}]       | refers with its 'from' to a location that does not exist",
        "[{'op':'remove','path':'/l/2'}]                  | uses '2', which is not an index of the array",
        "[{'op':'add','path':'/l/3','value':1}]           | uses '3', which is not an index of the array",
        "[{'op':'add','path':'/l/01','value':1}]          | uses '01', which is not an index of the array",
        "[{'op':'add','path':'/l/99999999999','value':1}] | which is not an index of the array",
        "[{'op':'remove','path':'/l/-'}]                  | uses '-', which is not an index of the array",
        "[{'op':'add','path':'/a/x','value':1}]           | adds to a value that is neither an object nor an array",
        "[{'op':'move','from':'/l','path':'/l/0'}]        | moves a value into one of its own children",
        "[{'op':'test','path':'/a','value':2}]            | operation 0 (test /a) failed: the value at the path differs",
        "[{'op':'test','path':'/a','value':'1'}]          | failed",
        "[{'op':'remove','path':''}]                      | removes the whole document",
        "[{'op':'add','path':'/b','value':1},{'op':'remove','path':'/c'}] | operation 1 (remove /c)",
    })
    void refusesAnInvalidPatchWithIllegalArgument(String patch, String message) {
        JsonNode source = json("{'a':1,'l':[1,2]}");
        assertThatThrownBy(() -> JsonPatchDelta.apply(json(patch), source))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid JSON patch")
                .hasMessageContaining(message);
        assertThat(source).isEqualTo(json("{'a':1,'l':[1,2]}"));
    }

    /** The examples of RFC 6902 appendix A that are about applying. */
    @ParameterizedTest(name = "RFC 6902 {0}")
    @CsvSource(delimiter = '|', value = {
        "A.1  | {'foo':'bar'} | [{'op':'add','path':'/baz','value':'qux'}] | {'baz':'qux','foo':'bar'}",
        "A.2  | {'foo':['bar','baz']} | [{'op':'add','path':'/foo/1','value':'qux'}] | {'foo':['bar','qux','baz']}",
        "A.3  | {'baz':'qux','foo':'bar'} | [{'op':'remove','path':'/baz'}] | {'foo':'bar'}",
        "A.4  | {'foo':['bar','qux','baz']} | [{'op':'remove','path':'/foo/1'}] | {'foo':['bar','baz']}",
        "A.5  | {'baz':'qux','foo':'bar'} | [{'op':'replace','path':'/baz','value':'boo'}] | {'baz':'boo','foo':'bar'}",
        "A.6  | {'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}} | [{'op':'move','from':'/foo/waldo','path':'/qux/thud'}] | {'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
        "A.7  | {'foo':['all','grass','cows','eat']} | [{'op':'move','from':'/foo/1','path':'/foo/3'}] | {'foo':['all','cows','eat','grass']}",
        "A.8  | {'baz':'qux','foo':['a',2,'c']} | [{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}] | {'baz':'qux','foo':['a',2,'c']}",
        "A.10 | {'foo':'bar'} | [{'op':'add','path':'/child','value':{'grandchild':{}}}] | {'foo':'bar','child':{'grandchild':{}}}",
        "A.11 | {'foo':'bar'} | [{'op':'add','path':'/baz','value':'qux','xyz':123}] | {'foo':'bar','baz':'qux'}",
        "A.14 | {'/':9,'~1':10} | [{'op':'test','path':'/~01','value':10}] | {'/':9,'~1':10}",
        "A.16 | {'foo':['bar']} | [{'op':'add','path':'/foo/-','value':['abc','def']}] | {'foo':['bar',['abc','def']]}",
    })
    void appliesTheExamplesOfTheRfc(String example, String source, String patch, String expected) {
        assertThat(JsonPatchDelta.apply(json(patch), json(source))).isEqualTo(json(expected));
    }

    @ParameterizedTest(name = "RFC 6902 {0}")
    @CsvSource(delimiter = '|', value = {
        "A.9  | {'baz':'qux'} | [{'op':'test','path':'/baz','value':'bar'}]",
        "A.12 | {'foo':'bar'} | [{'op':'add','path':'/baz/bat','value':'qux'}]",
        "A.15 | {'/':9,'~1':10} | [{'op':'test','path':'/~01','value':'10'}]",
    })
    void refusesTheErrorExamplesOfTheRfc(String example, String source, String patch) {
        assertThatThrownBy(() -> JsonPatchDelta.apply(json(patch), json(source)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void membersWithEscapedCharactersInTheirNamesRoundTrip() {
        // zjsonpatch 0.4.16's own apply turns the member "t~1" into "t/" here.
        JsonNode from = json("{'t~1':1,'a/b':{'~':[1]},'~01':true}");
        JsonNode to = json("{'t~1':2,'a/b':{'~':[1,2]},'~01':false,'new~1':null}");
        JsonNode patch = JsonPatchDelta.diff(from, to);
        assertThat(patch.toString()).contains("\"/t~01\"", "\"/a~1b/~0/1\"", "\"/~001\"", "\"/new~01\"");
        assertThat(JsonPatchDelta.apply(patch, from)).isEqualTo(to);
    }

    @Test
    void testComparesNumbersByValue() {
        JsonNode source = json("{'a':1,'b':[2.50]}");
        assertThat(JsonPatchDelta.apply(json("[{'op':'test','path':'/a','value':1.0},{'op':'test','path':'/b','value':[2.5]}]"), source))
                .isEqualTo(source);
    }

    @Test
    void replaceKeepsTheOrderOfTheMembers() {
        JsonNode result = JsonPatchDelta.apply(json("[{'op':'replace','path':'/a','value':3}]"), json("{'a':1,'b':2}"));
        assertThat(result.toString()).isEqualTo("{\"a\":3,\"b\":2}");
    }

    @Test
    void refusesANullPatch() {
        assertThatThrownBy(() -> JsonPatchDelta.apply(null, json("{}")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("invalid JSON patch: expected an array of operations");
    }
}
