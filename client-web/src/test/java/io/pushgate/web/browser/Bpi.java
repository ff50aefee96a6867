package io.pushgate.web.browser;

import java.time.Instant;
import java.util.Locale;

/** BPI documents in the data-feeder's shape (CoinDesk's {@code currentprice.json}), for the dashboard tests. */
final class Bpi {

    private Bpi() {
    }

    static String document(double usd) {
        double gbp = usd * 0.79;
        double eur = usd * 0.92;
        Instant now = Instant.now();
        return String.format(Locale.ROOT, """
                {"time":{"updated":"%s","updatedISO":"%s","updateduk":"%s"},\
                "disclaimer":"This data was produced from a test of the Pushgate web client.","chartName":"Bitcoin",\
                "bpi":{"USD":{"code":"USD","symbol":"&#36;","rate":"%,.4f","description":"United States Dollar","rate_float":%.2f},\
                "GBP":{"code":"GBP","symbol":"&pound;","rate":"%,.4f","description":"British Pound Sterling","rate_float":%.2f},\
                "EUR":{"code":"EUR","symbol":"&euro;","rate":"%,.4f","description":"Euro","rate_float":%.2f}},\
                "source":"test"}""", now, now, now, usd, usd, gbp, gbp, eur, eur);
    }
}
