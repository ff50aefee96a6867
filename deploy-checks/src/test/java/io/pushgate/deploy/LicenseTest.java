package io.pushgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The repository's licence: the standard Apache License 2.0 text in LICENSE, and the README says so. */
class LicenseTest {

    /** SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt, the text as the ASF publishes it. */
    private static final String APACHE_2_0_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30";

    @Test
    void licenseIsTheStandardApacheLicense20Text() throws IOException, NoSuchAlgorithmException {
        byte[] text = Files.readAllBytes(Repository.get().root().resolve("LICENSE"));
        assertThat(new String(text, java.nio.charset.StandardCharsets.UTF_8))
                .contains("Apache License", "Version 2.0, January 2004", "END OF TERMS AND CONDITIONS");
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)))
                .as("LICENSE is the Apache License 2.0 exactly as published (no edit, no reflow)").isEqualTo(APACHE_2_0_SHA256);
    }

    @Test
    void theReadmeSaysSoNearTheTopAndInALicenceSection() throws IOException {
        List<String> readme = Files.readAllLines(Repository.get().root().resolve("README.md"));
        assertThat(String.join("\n", readme.subList(0, Math.min(15, readme.size()))))
                .as("the README's first lines").contains("Apache License 2.0").contains("(LICENSE)");
        int section = readme.indexOf("## Licence");
        assertThat(section).as("a \"## Licence\" section").isNotNegative();
        assertThat(String.join("\n", readme.subList(section, readme.size()))).contains("Apache License, Version 2.0", "(LICENSE)");
    }
}
