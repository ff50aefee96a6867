package io.pushgate.backend.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.backend.gateway.GatewayException;
import io.pushgate.backend.gateway.GatewayPort;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WriteQueueTest {

    record Op(String name, boolean droppable) implements WriteOp {
        @Override
        public void run(GatewayPort gateway) {
        }

        @Override
        public boolean givesUpOn(GatewayException failure) {
            return false;
        }

        @Override
        public void done() {
        }

        @Override
        public String describe() {
            return name;
        }
    }

    static Op price(String name) {
        return new Op(name, true);
    }

    static Op edit(String name) {
        return new Op(name, false);
    }

    private static String take(WriteQueue q) throws InterruptedException {
        return q.poll(0, TimeUnit.MILLISECONDS).describe();
    }

    @Test
    void dropsTheOldestPriceWhenFull() throws InterruptedException {
        WriteQueue q = new WriteQueue(3);
        assertThat(q.offer(price("p1"))).isNull();
        q.offer(price("p2"));
        q.offer(price("p3"));
        assertThat(q.offer(price("p4")).describe()).isEqualTo("p1");
        assertThat(q.size()).isEqualTo(3);
        assertThat(take(q)).isEqualTo("p2");
    }

    @Test
    void neverDropsAnEditAndDropsThePriceAfterIt() throws InterruptedException {
        WriteQueue q = new WriteQueue(3);
        q.offer(edit("e1"));
        q.offer(price("p1"));
        q.offer(price("p2"));
        assertThat(q.offer(price("p3")).describe()).isEqualTo("p1");
        assertThat(take(q)).isEqualTo("e1");
        assertThat(take(q)).isEqualTo("p2");
        assertThat(take(q)).isEqualTo("p3");
    }

    @Test
    void editsAreTakenPastTheCapacity() {
        WriteQueue q = new WriteQueue(2);
        q.offer(price("p1"));
        q.offer(price("p2"));
        assertThat(q.offer(edit("e1"))).isNull();
        assertThat(q.offer(edit("e2"))).isNull();
        assertThat(q.size()).isEqualTo(4);
        // a full buffer of edits only: a new price is taken too (nothing droppable is waiting)
        WriteQueue edits = new WriteQueue(1);
        edits.offer(edit("e1"));
        assertThat(edits.offer(price("p1"))).isNull();
    }

    @Test
    void withdrawsMatchingOps() throws InterruptedException {
        WriteQueue q = new WriteQueue(10);
        q.offer(price("p1"));
        q.offer(edit("e1"));
        q.offer(price("p2"));
        assertThat(q.removeIf(WriteOp::droppable)).extracting(WriteOp::describe).containsExactly("p1", "p2");
        assertThat(take(q)).isEqualTo("e1");
        assertThat(q.poll(10, TimeUnit.MILLISECONDS)).isNull();
    }
}
