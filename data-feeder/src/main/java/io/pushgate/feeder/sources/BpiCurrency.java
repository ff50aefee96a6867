package io.pushgate.feeder.sources;

/**
 * The currencies of CoinDesk's BPI document, in the order CoinDesk listed them, with the
 * HTML-entity symbols and descriptions it used: clients written for that document render
 * these strings as they are.
 */
public enum BpiCurrency {
    USD("&#36;", "United States Dollar"),
    GBP("&pound;", "British Pound Sterling"),
    EUR("&euro;", "Euro");

    private final String symbol;
    private final String description;

    BpiCurrency(String symbol, String description) {
        this.symbol = symbol;
        this.description = description;
    }

    public String code() {
        return name();
    }

    public String symbol() {
        return symbol;
    }

    public String description() {
        return description;
    }
}
