package io.pushgate.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The table of requests awaiting an answer: bounded per owner and in all, emptied by deadlines and by owners leaving. */
class PendingRequestsTest {

    private final PendingRequests<String> table = new PendingRequests<>(2, 3);

    @Test
    void anOwnerHoldsAtMostItsLimitAndTheTableAtMostItsOwn() {
        assertThat(table.add("r1", "a", 100, "x")).isEqualTo(PendingRequests.Refusal.NONE);
        assertThat(table.add("r2", "a", 100, "x")).isEqualTo(PendingRequests.Refusal.NONE);
        assertThat(table.add("r3", "a", 100, "x")).isEqualTo(PendingRequests.Refusal.OWNER_FULL);
        assertThat(table.add("r3", "b", 100, "x")).isEqualTo(PendingRequests.Refusal.NONE);
        assertThat(table.add("r4", "c", 100, "x")).isEqualTo(PendingRequests.Refusal.TABLE_FULL);
        assertThat(table.add("r1", "c", 100, "x")).isEqualTo(PendingRequests.Refusal.DUPLICATE);
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.count("a")).isEqualTo(2);
        // An answer frees its place at once.
        assertThat(table.remove("r1").value()).isEqualTo("x");
        assertThat(table.add("r5", "a", 100, "y")).isEqualTo(PendingRequests.Refusal.NONE);
    }

    @Test
    void expiryRemovesEveryEntryWhoseDeadlinePassedEarliestFirstAndNothingElse() {
        table.add("late", "a", 300, "late");
        table.add("early", "b", 100, "early");
        table.add("middle", "a", 200, "middle");
        assertThat(table.expire(99)).isEmpty();
        assertThat(table.expire(200)).extracting(PendingRequests.Entry::id).containsExactly("early", "middle");
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.count("a")).isEqualTo(1);
        assertThat(table.count("b")).isZero();
        assertThat(table.get("late")).isNotNull();
        assertThat(table.remove("early")).as("an expired entry is gone").isNull();
    }

    @Test
    void anOwnerThatGoesTakesEveryEntryOfItsOwnWithIt() {
        table.add("r1", "a", 100, "1");
        table.add("r2", "b", 100, "2");
        table.add("r3", "a", 50, "3");
        assertThat(table.removeOwner("a")).extracting(PendingRequests.Entry::id).containsExactlyInAnyOrder("r1", "r3");
        assertThat(table.removeOwner("a")).isEmpty();
        assertThat(table.size()).isEqualTo(1);
        assertThat(table.expire(Long.MAX_VALUE)).extracting(PendingRequests.Entry::id).containsExactly("r2");
        assertThat(table.size()).isZero();
    }

    @Test
    void limitsBelowOneAreRefused() {
        assertThatThrownBy(() -> new PendingRequests<>(0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PendingRequests<>(10, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
