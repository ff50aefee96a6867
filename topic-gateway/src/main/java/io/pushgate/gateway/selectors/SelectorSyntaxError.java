package io.pushgate.gateway.selectors;

/**
 * What is wrong with part of a selector expression, and where (an index in the whole expression).
 * Internal to parsing: {@link SelectorParser} turns it into the contract's {@code INVALID} error,
 * quoting the expression.
 */
final class SelectorSyntaxError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SelectorSyntaxError(String message) {
        super(message, null, false, false);
    }
}
