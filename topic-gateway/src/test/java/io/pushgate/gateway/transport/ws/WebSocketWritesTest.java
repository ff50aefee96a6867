package io.pushgate.gateway.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.pushgate.gateway.sessions.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a WebSocket's messages reach the socket: they wait for the event loop's next flush and
 * leave in one write per connection, one frame each or (with {@code batch=lines}) one frame of
 * lines, within the configured bounds. A Netty {@link EmbeddedChannel} stands for the socket:
 * each buffer it records is one flushed write, and its pending tasks are the loop's next turn.
 */
class WebSocketWritesTest {

    private static final int FRAGMENT_ABOVE = 1 << 20;

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final LongAdder framesOut = new LongAdder();

    @AfterEach
    void finish() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void framesWaitForTheLoopsTurnThenLeaveInOneWriteOneFrameEach() {
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = outbound(channel, false, 65536, 256);

        out.send(message("a"));
        out.send(message("b"));
        out.send(message("c"));
        assertThat(writes(channel)).as("nothing written before the loop's next turn").isEmpty();

        channel.runPendingTasks();
        List<byte[]> writes = writes(channel);
        assertThat(writes).as("one write for the three").hasSize(1);
        assertThat(frames(writes)).containsExactly(text("a"), text("b"), text("c"));
        assertThat(framesOut.sum()).isEqualTo(3);
    }

    @Test
    void atMostWritesPerFlushFramesWaitTheRestLeaveOnTheNextTurn() {
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = outbound(channel, false, 65536, 2);

        out.send(message("1"));
        out.send(message("2"));
        out.send(message("3"));
        List<byte[]> first = writes(channel);
        assertThat(first).as("the first two, flushed when the third came").hasSize(1);
        assertThat(frames(first)).containsExactly(text("1"), text("2"));

        channel.runPendingTasks();
        List<byte[]> second = writes(channel);
        assertThat(second).hasSize(1);
        assertThat(frames(second)).containsExactly(text("3"));
    }

    @Test
    void withoutABatcherEveryFrameIsWrittenAndFlushedAtOnce() {
        // What the transport builds for writes-per-flush = 0 on a connection without batch.
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = new WebSocketOutbound(null, Runnable::run, null, false, 65536, 0, FRAGMENT_ABOVE, framesOut, channel);

        out.send(message("x"));
        out.send(message("y"));
        List<byte[]> writes = writes(channel);
        assertThat(writes).hasSize(2);
        assertThat(frames(writes)).containsExactly(text("x"), text("y"));
    }

    @Test
    void withLinesTheWaitingMessagesShareOneFrame() {
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = outbound(channel, true, 65536, Integer.MAX_VALUE);

        out.send(message("a"));
        out.send(message("b"));
        channel.runPendingTasks();
        List<byte[]> writes = writes(channel);
        assertThat(writes).hasSize(1);
        assertThat(frames(writes)).containsExactly(text("a") + "\n" + text("b"));
        assertThat(framesOut.sum()).isEqualTo(1);
    }

    @Test
    void aMessageLargerThanTheBatchGoesAloneAfterWhatWaitedInOrder() {
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = outbound(channel, false, 100, 256);
        String large = "L".repeat(200);

        out.send(message("a"));
        out.send(message(large));
        out.send(message("b"));
        List<byte[]> atOnce = writes(channel);
        assertThat(frames(atOnce)).as("what waited, then the large one, at once").containsExactly(text("a"), text(large));
        channel.runPendingTasks();
        assertThat(frames(writes(channel))).containsExactly(text("b"));
    }

    @Test
    void connectionsWaitingForTheSameMessagesShareOneEncodedBuffer() {
        // Two connections whose channels are served by one loop: the first channel's.
        EmbeddedChannel first = channel();
        EmbeddedChannel second = channel();
        FrameBatcher batcher = FrameBatcher.of(first.eventLoop(), 0, 50);
        WebSocketOutbound a = new WebSocketOutbound(null, Runnable::run, batcher, false, 65536, 256, FRAGMENT_ABOVE, framesOut, first);
        WebSocketOutbound b = new WebSocketOutbound(null, Runnable::run, batcher, false, 65536, 256, FRAGMENT_ABOVE, framesOut, second);
        Frame one = message("1");
        Frame two = message("2");

        a.send(one);
        a.send(two);
        b.send(one);
        b.send(two);
        first.runPendingTasks();

        ByteBuf fromA = first.readOutbound();
        ByteBuf fromB = second.readOutbound();
        ByteBuf shared = fromA.unwrap();
        try {
            assertThat(fromA.isDirect()).as("encoded in direct memory: Netty need not copy it for each socket").isTrue();
            assertThat(fromA.unwrap()).as("duplicates of one buffer, encoded once").isNotNull().isSameAs(fromB.unwrap());
            assertThat(fromA.unwrap().refCnt()).as("the batcher let go of it after the flush").isEqualTo(2);
        } finally {
            fromA.release();
            fromB.release();
        }
        assertThat(shared.refCnt()).as("released once written").isZero();
    }

    @Test
    void aClosedConnectionWritesNothingOfWhatWaited() {
        EmbeddedChannel channel = channel();
        WebSocketOutbound out = outbound(channel, false, 65536, 256);

        out.send(message("a"));
        out.closed();
        channel.runPendingTasks();
        assertThat(writes(channel)).isEmpty();
    }

    /** A channel as the gateway finds it after the upgrade: the frame encoder, then Vert.x's handler. */
    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline().addLast(new WebSocket13FrameEncoder(false));
        channel.pipeline().addLast("handler", new ChannelInboundHandlerAdapter());
        channels.add(channel);
        return channel;
    }

    private WebSocketOutbound outbound(EmbeddedChannel channel, boolean lines, int maxBatchBytes, int maxBatchFrames) {
        FrameBatcher batcher = FrameBatcher.of(channel.eventLoop(), 0, 50);
        return new WebSocketOutbound(null, Runnable::run, batcher, lines, maxBatchBytes, maxBatchFrames, FRAGMENT_ABOVE, framesOut, channel);
    }

    private static Frame message(String data) {
        return new Frame("update", text(data), Frame.Kind.VALUE);
    }

    private static String text(String data) {
        return "{\"type\":\"update\",\"value\":\"" + data + "\"}";
    }

    /** The flushed writes since the last call, each as its bytes. */
    private static List<byte[]> writes(EmbeddedChannel channel) {
        List<byte[]> writes = new ArrayList<>();
        for (Object o; (o = channel.readOutbound()) != null; ) {
            ByteBuf buf = (ByteBuf) o;
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            buf.release();
            writes.add(bytes);
        }
        return writes;
    }

    /** The text frames in those writes, decoded as a client would. */
    private static List<String> frames(List<byte[]> writes) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, FRAGMENT_ABOVE));
        for (byte[] write : writes) {
            client.writeInbound(io.netty.buffer.Unpooled.wrappedBuffer(write));
        }
        List<String> texts = new ArrayList<>();
        for (Object o; (o = client.readInbound()) != null; ) {
            TextWebSocketFrame frame = (TextWebSocketFrame) o;
            assertThat(frame.isFinalFragment()).isTrue();
            texts.add(frame.text());
            frame.release();
        }
        client.finishAndReleaseAll();
        return texts;
    }
}
