package io.github.modelregistry.web;

import java.time.Duration;

import io.netty.channel.ChannelPipeline;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Gives every way a client can stall or garble an HTTP/1.1 connection a bound, on the whole Reactor Netty server
 * (inference, the application's own endpoints and Actuator alike):
 * <ul>
 * <li>request line and headers, then the body: {@link RequestReadTimeout}, 408 and the connection closes; the V2
 * face answers its own {@code body-timeout} with a 408 first, so the body's deadline here is a second later (it
 * replaces Reactor Netty's {@code requestTimeout}, which kept every GET's exchange alive until it passed);</li>
 * <li>an idle connection between requests: Reactor Netty's {@link HttpServer#idleTimeout(Duration) idle time-out},
 * applied here only when {@code server.netty.idle-timeout} is not set;</li>
 * <li>framing that does not decode: {@link MalformedRequestHandler}, a JSON 4xx and one DEBUG line.</li>
 * </ul>
 * HTTP/2 connections, which have their own framing and time-outs, are left as they are.
 */
public final class HttpConnectionGuards implements NettyServerCustomizer {

	/** What the V2 face's own body time-out is given over Reactor Netty's, to write its 408 first. */
	private static final Duration ANSWER_MARGIN = Duration.ofSeconds(1);

	private final Duration headerTimeout;

	private final Duration bodyTimeout;

	private final @Nullable Duration idleTimeout;

	/**
	 * @param headerTimeout the longest a request's line and headers may take to arrive
	 * @param bodyTimeout the longest a request's body may take to arrive
	 * @param idleTimeout the longest a connection may wait for its next request; {@code null} to leave it as the
	 * server has it
	 */
	public HttpConnectionGuards(Duration headerTimeout, Duration bodyTimeout, @Nullable Duration idleTimeout) {
		this.headerTimeout = headerTimeout;
		this.bodyTimeout = bodyTimeout;
		this.idleTimeout = idleTimeout;
	}

	@Override
	public HttpServer apply(HttpServer server) {
		HttpServer guarded = server.doOnChannelInit((observer, channel, remoteAddress) -> guard(channel.pipeline()));
		return (this.idleTimeout != null) ? guarded.idleTimeout(this.idleTimeout) : guarded;
	}

	private void guard(ChannelPipeline pipeline) {
		if (pipeline.get(NettyPipeline.HttpCodec) == null) {
			return;
		}
		RequestReadTimeout reads = new RequestReadTimeout(this.headerTimeout, this.bodyTimeout.plus(ANSWER_MARGIN));
		pipeline.addBefore(NettyPipeline.HttpCodec, "model-registry.requestBytes", reads.bytes());
		pipeline.addAfter(NettyPipeline.HttpCodec, "model-registry.requestReads", reads.requests());
		pipeline.addAfter("model-registry.requestReads", "model-registry.malformedRequests",
				new MalformedRequestHandler());
	}

}
