package io.github.modelregistry.webflux.internal;

import reactor.core.publisher.Mono;

import org.springframework.http.ReactiveHttpOutputMessage;
import org.springframework.web.reactive.function.BodyInserter;

/**
 * Writes a response body the handler has already encoded (JSON, or JSON and raw tensors), as it is.
 * {@code bodyValue(byte[])} would look for a message writer among the application's codecs on every response (a
 * {@code ResolvableType} and a {@code canWrite} check per codec, 7 % of the inference threads' samples with the rest
 * of the response's building, see docs/end-to-end.md) only to find the byte-array encoder, which does what this does.
 */
final class EncodedBody implements BodyInserter<byte[], ReactiveHttpOutputMessage> {

	private final byte[] body;

	private EncodedBody(byte[] body) {
		this.body = body;
	}

	static EncodedBody of(byte[] body) {
		return new EncodedBody(body);
	}

	@Override
	public Mono<Void> insert(ReactiveHttpOutputMessage message, Context context) {
		message.getHeaders().setContentLength(this.body.length);
		return message.writeWith(Mono.just(message.bufferFactory().wrap(this.body)));
	}

}
