package io.pushgate.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.List;

/** Fails a test with every problem on its own line, so that one run shows all of them. */
final class Problems {

    private Problems() {
    }

    static void assertNone(String what, List<String> problems) {
        if (!problems.isEmpty()) {
            fail(problems.size() + " problem(s) in " + what + ":\n  - " + String.join("\n  - ", problems));
        }
    }
}
