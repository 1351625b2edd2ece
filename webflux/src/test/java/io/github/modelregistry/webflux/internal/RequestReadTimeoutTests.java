package io.github.modelregistry.webflux.internal;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestReadTimeout} on an embedded channel with Netty's HTTP codec and its own clock: a request that arrives
 * whole leaves no timer behind, one that stops in its headers or its body is cut at its deadline.
 */
class RequestReadTimeoutTests {

	private static final Duration HEADERS = Duration.ofSeconds(1);

	private static final Duration BODY = Duration.ofSeconds(3);

	private static final String GET = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";

	private final Answerer answerer = new Answerer();

	private final EmbeddedChannel channel = channel();

	private EmbeddedChannel channel() {
		RequestReadTimeout reads = new RequestReadTimeout(HEADERS, BODY);
		EmbeddedChannel channel = new EmbeddedChannel();
		channel.freezeTime();
		channel.pipeline().addLast(reads.bytes(), new HttpServerCodec(), reads.requests(), this.answerer);
		return channel;
	}

	@AfterEach
	void close() {
		this.channel.finishAndReleaseAll();
	}

	@Test
	void aSilentConnectionGetsA408AtTheHeaderTimeout() {
		this.channel.advanceTimeBy(HEADERS.toMillis() - 1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(response()).startsWith("HTTP/1.1 408").contains("model-registry.web.header-timeout");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void requestsThatArriveWholeScheduleNothingAndLeaveNothingBehind() {
		for (int i = 0; i < 1000; i++) {
			this.channel.writeInbound(ascii(GET));
			assertThat(response()).startsWith("HTTP/1.1 200");
			// Nothing waits on the event loop's timer queue for this request (Reactor Netty's requestTimeout did)
			assertThat(this.channel.runScheduledPendingTasks()).isEqualTo(-1);
		}
		this.channel.writeInbound(ascii("POST /infer HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"));
		assertThat(response()).startsWith("HTTP/1.1 200");
		assertThat(this.channel.runScheduledPendingTasks()).isEqualTo(-1);
		this.channel.advanceTimeBy(1, TimeUnit.HOURS);
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		assertThat((Object) this.channel.readOutbound()).isNull();
	}

	@Test
	void headersTrickledInAreCutAtTheHeaderTimeoutFromTheirFirstBytes() {
		this.channel.writeInbound(ascii(GET));
		assertThat(response()).startsWith("HTTP/1.1 200");
		this.channel.advanceTimeBy(1, TimeUnit.HOURS);
		this.channel.writeInbound(ascii("GET /v2/health/live HTTP/1.1\r\n"));
		this.channel.advanceTimeBy(HEADERS.toMillis() / 2, TimeUnit.MILLISECONDS);
		// Another byte does not restart the deadline
		this.channel.writeInbound(ascii("H"));
		this.channel.advanceTimeBy(HEADERS.toMillis() / 2, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(response()).startsWith("HTTP/1.1 408").contains("model-registry.web.header-timeout");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aBodyThatStallsGetsA408AtTheBodyTimeoutWhenNothingWasAnswered() {
		this.answerer.early = false;
		this.channel.writeInbound(ascii("POST /infer HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
		this.channel.advanceTimeBy(BODY.toMillis() - 1, TimeUnit.MILLISECONDS);
		this.channel.writeInbound(ascii("d"));
		this.channel.runScheduledPendingTasks();
		assertThat(this.channel.isOpen()).isTrue();
		this.channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat(response()).startsWith("HTTP/1.1 408").contains("The request body did not arrive within 3000 ms");
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aBodyStillTricklingAfterARefusalIsCutWithoutASecondAnswer() {
		this.answerer.early = true;
		this.channel.writeInbound(ascii("POST /infer HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc"));
		assertThat(response()).startsWith("HTTP/1.1 413");
		this.channel.advanceTimeBy(BODY.toMillis(), TimeUnit.MILLISECONDS);
		this.channel.runScheduledPendingTasks();
		assertThat((Object) this.channel.readOutbound()).isNull();
		assertThat(this.channel.isOpen()).isFalse();
	}

	@Test
	void aBodyThatArrivesInTimeEndsItsDeadlineAndTheNextRequestIsServed() {
		this.answerer.early = false;
		this.channel.writeInbound(ascii("POST /infer HTTP/1.1\r\nHost: x\r\nContent-Length: 6\r\n\r\nabc"));
		this.channel.advanceTimeBy(BODY.toMillis() - 1, TimeUnit.MILLISECONDS);
		this.channel.writeInbound(ascii("def"));
		assertThat(response()).startsWith("HTTP/1.1 200");
		assertThat(this.channel.runScheduledPendingTasks()).isEqualTo(-1);
		this.channel.writeInbound(ascii(GET));
		assertThat(response()).startsWith("HTTP/1.1 200");
		assertThat(this.channel.isOpen()).isTrue();
	}

	private String response() {
		ByteBuf out = Unpooled.buffer();
		Object written;
		while ((written = this.channel.readOutbound()) != null) {
			out.writeBytes((ByteBuf) written);
			ReferenceCountUtil.release(written);
		}
		String response = out.toString(StandardCharsets.US_ASCII);
		out.release();
		return response;
	}

	private static ByteBuf ascii(String text) {
		return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
	}

	/**
	 * Answers 200 once a request's end is read or, when {@code early}, 413 as soon as a request's headers are.
	 */
	static final class Answerer extends ChannelInboundHandlerAdapter {

		boolean early;

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (this.early && msg instanceof HttpRequest) {
				ctx.writeAndFlush(answer(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE));
			}
			else if (!this.early && msg instanceof LastHttpContent) {
				ctx.writeAndFlush(answer(HttpResponseStatus.OK));
			}
			ReferenceCountUtil.release(msg);
		}

		private static FullHttpResponse answer(HttpResponseStatus status) {
			FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
					Unpooled.wrappedBuffer("{}".getBytes(StandardCharsets.US_ASCII)));
			response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 2);
			return response;
		}

	}

}
