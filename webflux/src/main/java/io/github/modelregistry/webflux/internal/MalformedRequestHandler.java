package io.github.modelregistry.webflux.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * Answers what the HTTP codec could not decode, in place of Reactor Netty, which logs a WARN line for each (a
 * client's mistake is not the operator's) and answers with an empty body, or, when a dispatched request's body is
 * what broke, sends its 400 under the handler still running, which then fails to answer and logs an ERROR.
 * <p>
 * A request line or headers that do not decode are answered here, with a JSON 400 (414, 431 for the too long) and
 * the connection closed; no request is dispatched. A body that stops decoding ends there for the dispatched
 * request's handler, which finds why in {@link #malformed(ServerHttpRequest)} and answers 400 (other handlers
 * answer what they make of a cut body), and the connection closes after that answer, as the codec cannot find the
 * next request. One DEBUG line each. Sits right after the HTTP codec, on the
 * connection's event loop.
 */
final class MalformedRequestHandler extends ChannelDuplexHandler {

	private static final Logger logger = LoggerFactory.getLogger(MalformedRequestHandler.class);

	private static final AttributeKey<String> MALFORMED = AttributeKey.valueOf(MalformedRequestHandler.class,
			"malformed");

	static final boolean REACTOR_NETTY = ClassUtils.isPresent("reactor.netty.Connection",
			MalformedRequestHandler.class.getClassLoader());

	/** A request was dispatched and its response has not ended yet. */
	private boolean inRequest;

	/** The framing broke: close once the current response has gone out. */
	private boolean closeAfterResponse;

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		DecoderResult result = (msg instanceof DecoderResultProvider provider) ? provider.decoderResult() : null;
		if (result == null || !result.isFailure()) {
			if (msg instanceof HttpRequest) {
				this.inRequest = true;
			}
			ctx.fireChannelRead(msg);
			return;
		}
		ReferenceCountUtil.release(msg);
		Throwable cause = (result.cause().getCause() != null) ? result.cause().getCause() : result.cause();
		logger.debug("Malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
		if (msg instanceof HttpRequest || !this.inRequest) {
			ctx.writeAndFlush(JsonErrorResponse.of(statusOf(cause), describe(msg, cause)))
				.addListener(ChannelFutureListener.CLOSE);
			return;
		}
		// The dispatched request's body ends here, for its handler to answer; why it ended is kept on the channel.
		// (Failing the body instead reaches its subscriber twice: Reactor drops the second error at ERROR level.)
		this.closeAfterResponse = true;
		ctx.channel().attr(MALFORMED).set(describe(msg, cause));
		ctx.fireChannelRead(LastHttpContent.EMPTY_LAST_CONTENT);
	}

	/**
	 * Returns why the request's body ended early, if its framing broke: its handler answers with this, not with
	 * what the truncated body looks like.
	 */
	static @Nullable String malformed(ServerHttpRequest request) {
		Connection connection = connection(request);
		return (connection != null) ? connection.channel().attr(MALFORMED).get() : null;
	}

	/**
	 * Returns Reactor Netty's connection of a request, or {@code null} off Reactor Netty and where there is none: a
	 * {@code WebTestClient} bound to an application context (a {@code @WebFluxTest}) serves mock requests, whose
	 * {@code getNativeRequest} throws.
	 */
	static @Nullable Connection connection(ServerHttpRequest request) {
		if (!REACTOR_NETTY) {
			return null;
		}
		try {
			return (ServerHttpRequestDecorator.getNativeRequest(request) instanceof Connection connection) ? connection
					: null;
		}
		catch (IllegalStateException ex) {
			return null;
		}
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
		if (msg instanceof HttpResponse response && this.closeAfterResponse) {
			HttpUtil.setKeepAlive(response, false);
		}
		if (msg instanceof LastHttpContent) {
			this.inRequest = false;
			if (this.closeAfterResponse) {
				ctx.write(msg, promise.unvoid()).addListener(ChannelFutureListener.CLOSE);
				return;
			}
		}
		ctx.write(msg, promise);
	}

	private static HttpResponseStatus statusOf(Throwable cause) {
		if (cause instanceof TooLongHttpLineException) {
			return HttpResponseStatus.REQUEST_URI_TOO_LONG;
		}
		if (cause instanceof TooLongHttpHeaderException) {
			return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
		}
		return HttpResponseStatus.BAD_REQUEST;
	}

	private static String describe(Object msg, Throwable cause) {
		String part = (msg instanceof HttpRequest) ? "request line or headers" : "request body's framing";
		String what = (cause instanceof TooLongFrameException) ? "is too long" : "is malformed";
		// The codec's own words name the rule broken ("Invalid character in chunk size"), never the client's bytes
		String detail = (cause.getMessage() != null && cause.getMessage().length() <= 120) ? ": " + cause.getMessage()
				: "";
		return "The " + part + " " + what + detail;
	}

}
