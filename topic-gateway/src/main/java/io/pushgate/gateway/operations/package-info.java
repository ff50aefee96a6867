/**
 * The operations of the contract on topics and time series (add, set, remove, fetch, append,
 * edit, range), shared by every transport: validation, permission checks and limits over the
 * model ({@code topics}, {@code timeseries}), atomic storage through the store's port. Apart
 * from the model, so that the model depends on nothing but itself: time series events hold
 * topic values, and these operations use both.
 */
package io.pushgate.gateway.operations;
