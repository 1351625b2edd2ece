package io.github.modelregistry.webflux.internal;

import java.time.Duration;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerUpgradeHandler;
import io.netty.handler.codec.http2.CleartextHttp2ServerUpgradeHandler;
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
 * The same guards hold on the HTTP/1.1-or-h2c pipeline ({@code server.http2.enabled} without TLS) for as long as a
 * connection speaks HTTP/1.1; once it turns to HTTP/2 they step aside, and each stream's body is bounded by Reactor
 * Netty's read time-out ({@link HttpServer#readTimeout(Duration)}, set here two seconds after the body time-out, a
 * second after the guards' own body deadline, so that on HTTP/1.1 the guards answer first), the connection by the
 * idle time-out. The management server, on a port of its
 * own, gets the same guards.
 */
public final class HttpConnectionGuards implements NettyServerCustomizer {

	private static final String BYTES = "model-registry.requestBytes";

	private static final String REQUESTS = "model-registry.requestReads";

	private static final String MALFORMED = "model-registry.malformedRequests";

	private static final String UPGRADES = "model-registry.h2cUpgrades";

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
		HttpServer guarded = server.doOnChannelInit((observer, channel, remoteAddress) -> guard(channel.pipeline()))
			.readTimeout(this.bodyTimeout.plus(ANSWER_MARGIN).plus(ANSWER_MARGIN));
		return (this.idleTimeout != null) ? guarded.idleTimeout(this.idleTimeout) : guarded;
	}

	private void guard(ChannelPipeline pipeline) {
		// By type: on the HTTP/1.1-or-h2c pipeline (server.http2.enabled without TLS) the codec has no name of
		// Reactor Netty's, and a guard that looked it up by name left that pipeline without any
		ChannelHandlerContext codec = pipeline.context(HttpServerCodec.class);
		if (codec == null) {
			return;
		}
		RequestReadTimeout reads = new RequestReadTimeout(this.headerTimeout, this.bodyTimeout.plus(ANSWER_MARGIN));
		pipeline.addBefore(codec.name(), BYTES, reads.bytes());
		pipeline.addAfter(codec.name(), REQUESTS, reads.requests());
		pipeline.addAfter(REQUESTS, MALFORMED, new MalformedRequestHandler());
		if (pipeline.get(NettyPipeline.H2CUpgradeHandler) != null || pipeline.get(CleartextHttp2ServerUpgradeHandler.class) != null
				|| pipeline.get(HttpServerUpgradeHandler.class) != null) {
			// An h2c connection may become HTTP/2 (an Upgrade: h2c request, or the HTTP/2 preface): then it has
			// streams, each bounded by Reactor Netty's read time-out, and these HTTP/1.1 guards step aside. The
			// upgrade events reach handlers after the codec and the upgrade handlers, before Reactor Netty's own
			if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
				pipeline.addBefore(NettyPipeline.HttpTrafficHandler, UPGRADES, new H2cUpgrades(reads));
			}
			else {
				pipeline.addLast(UPGRADES, new H2cUpgrades(reads));
			}
		}
	}

	/**
	 * Removes the HTTP/1.1 guards once the connection speaks HTTP/2.
	 */
	private static final class H2cUpgrades extends ChannelInboundHandlerAdapter {

		private final RequestReadTimeout reads;

		H2cUpgrades(RequestReadTimeout reads) {
			this.reads = reads;
		}

		@Override
		public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
			if (event instanceof HttpServerUpgradeHandler.UpgradeEvent
					|| event instanceof CleartextHttp2ServerUpgradeHandler.PriorKnowledgeUpgradeEvent) {
				this.reads.stop();
				ChannelPipeline pipeline = ctx.pipeline();
				for (String name : new String[] { BYTES, REQUESTS, MALFORMED }) {
					if (pipeline.get(name) != null) {
						pipeline.remove(name);
					}
				}
				pipeline.remove(this);
			}
			ctx.fireUserEventTriggered(event);
		}

	}

}
