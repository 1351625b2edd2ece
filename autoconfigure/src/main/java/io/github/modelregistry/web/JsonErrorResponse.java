package io.github.modelregistry.web;

import java.nio.charset.StandardCharsets;

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

	private JsonErrorResponse() {
	}

	/**
	 * @param message the error, escaped into a JSON string
	 */
	static FullHttpResponse of(HttpResponseStatus status, String message) {
		StringBuilder json = new StringBuilder(message.length() + 16).append("{\"error\":\"");
		message.chars().forEach((c) -> {
			if (c == '"' || c == '\\') {
				json.append('\\').append((char) c);
			}
			else if (c < 0x20) {
				json.append(String.format("\\u%04x", c));
			}
			else {
				json.append((char) c);
			}
		});
		byte[] body = json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
		FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
				Unpooled.wrappedBuffer(body));
		response.headers()
			.set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
			.setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
			.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
		return response;
	}

}
