package io.pushgate.bridge.passthrough;

import static org.assertj.core.api.Assertions.assertThat;

import io.pushgate.bridge.config.SlowClientPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

class ClientSenderTest {

    /** A client that reads only when the test says so: sends stay queued until completed. */
    static final class StalledTransport implements ClientTransport {
        final List<CompletableFuture<Void>> writes = new ArrayList<>();
        final List<Frame> frames = new ArrayList<>();
        int closedWith;

        @Override
        public CompletionStage<Void> send(Frame frame) {
            CompletableFuture<Void> write = new CompletableFuture<>();
            writes.add(write);
            frames.add(frame);
            return write;
        }

        @Override
        public void close(int code, String reason) {
            closedWith = code;
        }

        void drain() {
            writes.forEach(write -> write.complete(null));
        }
    }

    private static Frame frame(int bytes) {
        return Frame.of("x".repeat(bytes).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sendsWhileTheQueueHasRoom() {
        StalledTransport transport = new StalledTransport();
        ClientSender sender = new ClientSender(transport, 3, 1000, SlowClientPolicy.CLOSE);

        assertThat(List.of(sender.send(frame(10)), sender.send(frame(10)), sender.send(frame(10))))
                .containsOnly(ClientSender.Outcome.SENT);
        assertThat(sender.queuedMessages()).isEqualTo(3);
        assertThat(sender.queuedBytes()).isEqualTo(30);

        transport.drain();

        assertThat(sender.queuedMessages()).isZero();
        assertThat(sender.queuedBytes()).isZero();
    }

    @Test
    void closePolicyClosesASlowClientWith4001AndSendsItNothingMore() {
        StalledTransport transport = new StalledTransport();
        ClientSender sender = new ClientSender(transport, 2, 1000, SlowClientPolicy.CLOSE);
        sender.send(frame(10));
        sender.send(frame(10));

        assertThat(sender.send(frame(10))).isEqualTo(ClientSender.Outcome.CLOSED);
        assertThat(transport.closedWith).isEqualTo(CloseCodes.SLOW_CLIENT);

        transport.drain();
        assertThat(sender.send(frame(10))).isEqualTo(ClientSender.Outcome.DROPPED);
        assertThat(transport.frames).hasSize(2);
    }

    @Test
    void dropPolicyDropsWhatDoesNotFitAndSendsAgainOnceTheClientCatchesUp() {
        StalledTransport transport = new StalledTransport();
        ClientSender sender = new ClientSender(transport, 100, 25, SlowClientPolicy.DROP);
        sender.send(frame(10));
        sender.send(frame(10));

        assertThat(sender.send(frame(10))).isEqualTo(ClientSender.Outcome.DROPPED); // 30 bytes > 25
        assertThat(transport.closedWith).isZero();
        assertThat(sender.queuedBytes()).isEqualTo(20);

        transport.drain();
        assertThat(sender.send(frame(10))).isEqualTo(ClientSender.Outcome.SENT);
        assertThat(transport.frames).hasSize(3);
    }

    @Test
    void aFrameLargerThanTheByteLimitIsSentWhenTheQueueIsEmpty() {
        StalledTransport transport = new StalledTransport();
        ClientSender sender = new ClientSender(transport, 100, 25, SlowClientPolicy.DROP);

        assertThat(sender.send(frame(1000))).isEqualTo(ClientSender.Outcome.SENT);
        assertThat(sender.send(frame(1))).isEqualTo(ClientSender.Outcome.DROPPED);
    }

    @Test
    void aFailedWriteFreesItsPlaceToo() {
        StalledTransport transport = new StalledTransport();
        ClientSender sender = new ClientSender(transport, 1, 1000, SlowClientPolicy.DROP);
        sender.send(frame(10));

        transport.writes.get(0).completeExceptionally(new IllegalStateException("connection reset"));

        assertThat(sender.queuedMessages()).isZero();
        assertThat(sender.send(frame(10))).isEqualTo(ClientSender.Outcome.SENT);
    }
}
