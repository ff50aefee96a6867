package io.pushgate.protocol.delta;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Prints what each delta format costs for a CoinDesk-like price document a minute later (see
 * target/surefire-reports/*DeltaSizeReportTest-output.txt). Only the relation that matters is
 * asserted; the figures are for reading.
 */
class DeltaSizeReportTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String bpi(String time, String iso, String uk, double usd, double gbp, double eur) {
        return String.format(Locale.US, """
                {"time":{"updated":"%s","updatedISO":"%s","updateduk":"%s"},\
                "disclaimer":"This data was produced from the CoinDesk Bitcoin Price Index (USD). Non-USD currency data converted using hourly conversion rate from openexchangerates.org",\
                "chartName":"Bitcoin","bpi":{\
                "USD":{"code":"USD","symbol":"&#36;","rate":"%,.4f","description":"United States Dollar","rate_float":%.4f},\
                "GBP":{"code":"GBP","symbol":"&pound;","rate":"%,.4f","description":"British Pound Sterling","rate_float":%.4f},\
                "EUR":{"code":"EUR","symbol":"&euro;","rate":"%,.4f","description":"Euro","rate_float":%.4f}}}""",
                time, iso, uk, usd, usd, gbp, gbp, eur, eur);
    }

    @Test
    void printsTheSizesOfAPriceUpdate() throws JsonProcessingException {
        String before = bpi("Jan 9, 2024 14:31:00 UTC", "2024-01-09T14:31:00+00:00", "Jan 9, 2024 at 14:31 GMT",
                43123.4567, 33867.2234, 39350.8109);
        String after = bpi("Jan 9, 2024 14:32:00 UTC", "2024-01-09T14:32:00+00:00", "Jan 9, 2024 at 14:32 GMT",
                43180.1021, 33911.9071, 39402.5550);
        JsonNode from = MAPPER.readTree(before);
        JsonNode to = MAPPER.readTree(after);
        String pretty = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(to);
        String prettyBefore = MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(from);

        int value = after.getBytes(UTF_8).length;
        int patch = MAPPER.writeValueAsString(JsonPatchDelta.diff(from, to)).getBytes(UTF_8).length;
        String fossil = FossilDelta.createText(before, after);
        // In a frame the delta is a JSON string: quotes, and the header's newline escaped.
        int fossilInFrame = MAPPER.writeValueAsString(fossil).getBytes(UTF_8).length;
        String fossilPretty = FossilDelta.createText(prettyBefore, pretty);

        System.out.printf("CoinDesk BPI, one minute later (3 times and 3 prices changed)%n");
        System.out.printf("  whole value (compact JSON)     %5d bytes%n", value);
        System.out.printf("  JSON patch (RFC 6902)          %5d bytes%n", patch);
        System.out.printf("  Fossil delta                   %5d bytes%n", fossil.getBytes(UTF_8).length);
        System.out.printf("  Fossil delta as a JSON string  %5d bytes%n", fossilInFrame);
        System.out.printf("  whole value (pretty JSON)      %5d bytes, its Fossil delta %d bytes%n",
                pretty.getBytes(UTF_8).length, fossilPretty.getBytes(UTF_8).length);
        System.out.printf("  JSON patch: %s%n  Fossil delta: %s%n",
                MAPPER.writeValueAsString(JsonPatchDelta.diff(from, to)), MAPPER.writeValueAsString(fossil));

        assertThat(FossilDelta.applyText(before, fossil)).isEqualTo(after);
        assertThat(fossilInFrame).isLessThan(value);
    }
}
