package io.github.modelregistry.web;

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
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the time one HTTP/1.1 connection may take to deliver a request's line and headers, which Reactor Netty
 * leaves open: its idle time-out restarts at every byte, so headers trickled in a byte a second are never cut.
 * <p>
 * The deadline starts when the connection opens and when the first bytes of a later request arrive on it (the wait
 * between requests is the idle time-out's), and ends when the codec has decoded the request's headers. Missed, the
 * client gets a 408 with a JSON error and the connection closes. Two handlers share this state, both on the
 * connection's event loop, so no field needs more than plain access: {@link #bytes()} before the HTTP codec sees
 * that bytes arrive, {@link #requests()} after it sees the decoded request and the end of its response.
 */
final class RequestHeaderTimeout {

	private static final Logger logger = LoggerFactory.getLogger(RequestHeaderTimeout.class);

	private final Duration timeout;

	/** Armed while headers are awaited; null otherwise. */
	private @Nullable ScheduledFuture<?> deadline;

	/** No request is being read or answered: the next bytes start a new request. */
	private boolean betweenRequests = true;

	private @Nullable ChannelHandlerContext requests;

	RequestHeaderTimeout(Duration timeout) {
		this.timeout = timeout;
	}

	/**
	 * Returns the handler to place before the HTTP codec.
	 */
	ChannelHandler bytes() {
		return new ChannelInboundHandlerAdapter() {

			@Override
			public void channelActive(ChannelHandlerContext ctx) {
				arm();
				ctx.fireChannelActive();
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (RequestHeaderTimeout.this.betweenRequests && RequestHeaderTimeout.this.deadline == null) {
					arm();
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
				RequestHeaderTimeout.this.requests = ctx;
				if (ctx.channel().isActive()) {
					// Added to a channel already open: bytes() saw no channelActive
					arm();
				}
			}

			@Override
			public void channelRead(ChannelHandlerContext ctx, Object msg) {
				if (msg instanceof HttpRequest) {
					RequestHeaderTimeout.this.betweenRequests = false;
					disarm();
				}
				ctx.fireChannelRead(msg);
			}

			@Override
			public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
				if (msg instanceof LastHttpContent) {
					ctx.write(msg, promise.unvoid()).addListener((future) -> RequestHeaderTimeout.this.betweenRequests = true);
					return;
				}
				ctx.write(msg, promise);
			}

		};
	}

	private void arm() {
		ChannelHandlerContext ctx = this.requests;
		if (ctx == null || this.deadline != null) {
			return;
		}
		this.deadline = ctx.executor().schedule(this::expire, this.timeout.toNanos(), TimeUnit.NANOSECONDS);
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
		if (ctx == null || !ctx.channel().isActive() || !this.betweenRequests) {
			return;
		}
		logger.debug("Closing {}: no request headers within {} ms (model-registry.web.header-timeout)",
				ctx.channel().remoteAddress(), this.timeout.toMillis());
		ctx.writeAndFlush(JsonErrorResponse.of(HttpResponseStatus.REQUEST_TIMEOUT, "The request headers did not arrive "
				+ "within " + this.timeout.toMillis() + " ms (model-registry.web.header-timeout)"))
			.addListener(ChannelFutureListener.CLOSE);
	}

}
