package dev.quarkchat.transport;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * One connection that is not a chat socket (yet), under a {@link PendingConnectionPolicy}: its
 * deadline for a request head, stopped while a request is in flight, and its requests in flight,
 * touched on its event loop only. It sits first in the connection's pipeline and handles no event,
 * so reads pass it by; leaving the pipeline (at the upgrade, or when the connection closes) ends it
 * and runs {@code released}.
 */
final class PendingConnectionHandler extends ChannelInboundHandlerAdapter {

    private final Channel connection;
    private final long headTimeoutNanos;
    private final Runnable released;
    private final Runnable headTimedOut;
    private ScheduledFuture<?> deadline;
    private int requestsInFlight;
    private boolean servedARequest;
    private boolean ended;

    PendingConnectionHandler(
            Channel connection, long headTimeoutNanos, Runnable released, Runnable headTimedOut) {
        this.connection = connection;
        this.headTimeoutNanos = headTimeoutNanos;
        this.released = released;
        this.headTimedOut = headTimedOut;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        startDeadline();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext context) {
        ended = true;
        stopDeadline();
        released.run();
    }

    /** A complete request head arrived. */
    void headArrived() {
        onEventLoop(
                () -> {
                    requestsInFlight++;
                    servedARequest = true;
                    stopDeadline();
                });
    }

    /** The response to a request whose head arrived has been sent. */
    void responseEnded() {
        onEventLoop(
                () -> {
                    requestsInFlight--;
                    if (requestsInFlight == 0) {
                        startDeadline();
                    }
                });
    }

    private void onEventLoop(Runnable action) {
        if (connection.eventLoop().inEventLoop()) {
            action.run();
        } else {
            connection.eventLoop().execute(action);
        }
    }

    private void startDeadline() {
        if (!ended && deadline == null) {
            deadline =
                    connection
                            .eventLoop()
                            .schedule(this::expire, headTimeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stopDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @SuppressWarnings(
            "FutureReturnValueIgnored") // a connection past its deadline is closed, nothing waits
    // for it
    private void expire() {
        deadline = null;
        if (ended || requestsInFlight > 0) {
            return;
        }
        // An idle keep-alive connection that was served is simply done; one that never sent a whole
        // head is not.
        if (!servedARequest) {
            headTimedOut.run();
        }
        connection.close();
    }
}
