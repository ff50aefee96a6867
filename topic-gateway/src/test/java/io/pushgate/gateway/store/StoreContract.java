package io.pushgate.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.pushgate.protocol.ErrorCode;
import io.pushgate.protocol.ProtocolException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every port's contract test: a fresh {@link StoresFixture} per test, already
 * following its change stream into {@link #changes}. A subclass per implementation says which.
 */
public abstract class StoreContract {

    protected StoresFixture fixture;
    protected Stores stores;
    protected RecordedChanges changes;

    /** A new set of stores of the kind under test. */
    protected abstract StoresFixture newStores();

    @BeforeEach
    void openStores() {
        fixture = newStores();
        stores = fixture.stores();
        changes = new RecordedChanges();
        join(stores.changes().listen(changes));
        changes.await("resync views");
    }

    @AfterEach
    void closeStores() {
        fixture.close();
    }

    protected static <T> T join(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new CompletionException(e.getCause());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The code a stage failed with (it must fail with a ProtocolException). */
    protected static ErrorCode failure(CompletionStage<?> stage) {
        Throwable t = catchThrowable(() -> join(stage));
        assertThat(t).as("the stage fails").isNotNull();
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        assertThat(cause).isInstanceOf(ProtocolException.class);
        return ((ProtocolException) cause).code();
    }
}
