package io.github.modelregistry.webflux.internal;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time one HTTP/1.1 connection may take to deliver a request: its line and headers within the header
 * time-out (missed: a 408 with a JSON error, and the connection closes), then its body within the body time-out
 * (missed: a 408 if nothing was answered yet, and the connection closes). Reactor Netty's idle time-out restarts at
 * every byte, so a request trickled in a byte a second is never cut by it; the wait between requests is the idle
 * time-out's, not this one's.
 * <p>
 * A deadline is armed only when a read ends with a request incomplete ({@code channelReadComplete} in the middle of
 * its headers or its body), and when a connection opens; a request that arrives whole in one read, as nearly every
 * request does, schedules nothing. That is why this replaces Reactor Netty's {@code requestTimeout}, which schedules
 * a task for every request and, for one without a body that is answered before its end is read (every GET), never
 * cancels it: each such request's whole exchange stayed reachable from the event loop's timer queue until the
 * time-out passed, 11 s of requests at 16,000 a second (measured: {@code docs/end-to-end.md}).
 * <p>
 * Two handlers share this state, both on the connection's event loop, so no field needs more than plain access:
 * {@link #bytes()} before the HTTP codec sees that bytes arrive, {@link #requests()} after it sees the decoded
 * request, its end, the end of each read and the response.
 */
final class RequestReadTimeout {

	private static final Logger logger = LoggerFactory.getLogger(RequestReadTimeout.class);

	/** Where the connection is in its current request. */
	private enum Phase {

		/** Answered (or none yet since the connection opened and its first bytes arrived): waiting for bytes. */
		BETWEEN,

		/** Bytes arrived, the request line and headers are not decoded yet. */
		HEADERS,

		/** The headers are decoded, the body's end is not read yet. */
		BODY,

		/** Read whole; the response is not finished. */
		ANSWERING

	}

	private final Duration headerTimeout;

	private final Duration bodyTimeout;

	/** Armed while a phase with a deadline waits for bytes; null otherwise. */
	private @Nullable ScheduledFuture<?> deadline;

	private Phase phase = Phase.BETWEEN;

	/** Whether the current request's response has begun (then a missed body deadline can only close). */
	private boolean answered;

	/** Whether the current request's response has been written whole. */
	private boolean answeredWhole;

	private @Nullable ChannelHandlerContext requests;

	/**
	 * @param headerTimeout the longest a request's line and headers may take to arrive
	 * @param bodyTimeout the longest its body may then take
	 */
	RequestReadTimeout(Duration headerTimeout, Duration bodyTimeout) {
		this.headerTimeout = headerTimeout;
		this.bodyTimeout = bodyTimeout;
	}

	/**
	 * Returns the handler to place before the HTTP codec.
	 */
	ChannelHandler bytes() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) {
				opened();
				ctx.fireChannelActive();
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (RequestReadTimeout.this.phase == Phase.BETWEEN) {
					RequestReadTimeout.this.phase = Phase.HEADERS;
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void channelInactive(ChannelHandlerContext ctx) {
				disarm();
				ctx.fireChannelInactive();
			}

		};
	}

	/**
	 * Returns the handler to place after the HTTP codec.
	 */
	ChannelHandler requests() {
		return new ChannelDuplexHandler() {

			@Override
			public void handlerAdded(ChannelHandlerContext ctx) {
				RequestReadTimeout.this.requests = ctx;
				if (ctx.channel().isActive()) {
					// Added to a channel already open: bytes() saw no channelActive
					opened();
				}
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof HttpRequest) {
					disarm();
					RequestReadTimeout.this.phase = Phase.BODY;
					RequestReadTimeout.this.answered = false;
					RequestReadTimeout.this.answeredWhole = false;
				}
				if (msg instanceof LastHttpContent && RequestReadTimeout.this.phase == Phase.BODY) {
					disarm();
					// Answered already (a refusal before the body was read): the connection waits for the next
					RequestReadTimeout.this.phase = RequestReadTimeout.this.answeredWhole ? Phase.BETWEEN
							: Phase.ANSWERING;
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void channelReadComplete(ChannelHandlerContext ctx) {
				// The read ended in the middle of a request: from now on its next bytes are waited for, bounded
				Phase phase = RequestReadTimeout.this.phase;
				if (phase == Phase.HEADERS) {
					arm(RequestReadTimeout.this.headerTimeout);
				}
				else if (phase == Phase.BODY) {
					arm(RequestReadTimeout.this.bodyTimeout);
				}
				ctx.fireChannelReadComplete();
			}

			@Override
			public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
				if (msg instanceof HttpResponse) {
					RequestReadTimeout.this.answered = true;
				}
				if (msg instanceof LastHttpContent) {
					ctx.write(msg, promise.unvoid()).addListener((future) -> answeredWhole());
					return;
				}
				ctx.write(msg, promise);
			}

		};
	}

	/**
	 * Stops bounding the connection: it no longer speaks HTTP/1.1.
	 */
	void stop() {
		disarm();
		this.phase = Phase.BETWEEN;
		this.requests = null;
	}

	private void opened() {
		// A connection that sends nothing gets the header time-out, as one that stops in the middle of its headers
		this.phase = Phase.HEADERS;
		arm(this.headerTimeout);
	}

	private void answeredWhole() {
		// An answer written before its request was read whole (a refusal) leaves the body's deadline running
		this.answeredWhole = true;
		if (this.phase == Phase.ANSWERING) {
			this.phase = Phase.BETWEEN;
		}
	}

	private void arm(Duration timeout) {
		ChannelHandlerContext ctx = this.requests;
		if (ctx == null || this.deadline != null) {
			return;
		}
		this.deadline = ctx.executor().schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	private void disarm() {
		ScheduledFuture<?> armed = this.deadline;
		if (armed != null) {
			armed.cancel(false);
			this.deadline = null;
		}
	}

	private void expire() {
		this.deadline = null;
		ChannelHandlerContext ctx = this.requests;
		if (ctx == null || !ctx.channel().isActive()) {
			return;
		}
		if (this.phase == Phase.HEADERS) {
			logger.debug("Closing {}: no request headers within {} ms (model-registry.web.header-timeout)",
					ctx.channel().remoteAddress(), this.headerTimeout.toMillis());
			ctx.writeAndFlush(JsonErrorResponse.of(HttpResponseStatus.REQUEST_TIMEOUT, "The request headers did not "
					+ "arrive within " + this.headerTimeout.toMillis() + " ms (model-registry.web.header-timeout)"))
				.addListener(ChannelFutureListener.CLOSE);
		}
		else if (this.phase == Phase.BODY) {
			logger.debug("Closing {}: the request body did not arrive within {} ms", ctx.channel().remoteAddress(),
					this.bodyTimeout.toMillis());
			if (this.answered) {
				ctx.close();
			}
			else {
				ctx.writeAndFlush(JsonErrorResponse.of(HttpResponseStatus.REQUEST_TIMEOUT, "The request body did not "
						+ "arrive within " + this.bodyTimeout.toMillis() + " ms"))
					.addListener(ChannelFutureListener.CLOSE);
			}
		}
	}

}
