package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A complete HTTP/1.1 error response in the V2 face's JSON form, written by a connection guard below Spring (where
 * no request was dispatched yet), and closing the connection.
 */
final class JsonErrorResponse {

	/** The V2 face's own encoder: the same JSON, the same escaping. */
	private static final V2ResponseEncoder ENCODER = new V2ResponseEncoder();

	private JsonErrorResponse() {
	}

	/**
	 * @param message the error
	 */
	static FullHttpResponse of(HttpResponseStatus status, String message) {
		byte[] body = ENCODER.error(message);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

}
