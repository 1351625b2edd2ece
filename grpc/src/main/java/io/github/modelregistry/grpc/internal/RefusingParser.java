package io.github.modelregistry.grpc.internal;

import io.github.modelregistry.protocol.grpc.InferRequestLimits;
import io.github.modelregistry.protocol.grpc.GrpcErrors;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses a service's requests so that a request that cannot be parsed, or that {@link InferRequestLimits} refuses,
 * is answered {@code INVALID_ARGUMENT} with what was wrong, and logged once at DEBUG.
 * <p>
 * Why. grpc-java parses a request on the call's executor, before any interceptor or service sees it; a marshaller
 * that throws ends the call with {@code UNKNOWN} "Application error processing RPC" and an ERROR log with the whole
 * stack trace, for every malformed message a client sends. Here each method's request marshaller is wrapped: it
 * never throws, but hands on either the parsed message or a {@link Refused} carrying the status, and the method's
 * handler is wrapped to close a call with that status when its request is refused, without calling the service.
 * <p>
 * The request's bytes are read once into an array of their size (grpc-java has already bounded them by the server's
 * inbound message size), checked in one pass when the method has limits, then parsed from that array.
 */
final class RefusingParser {

	private static final Logger logger = LoggerFactory.getLogger(RefusingParser.class);

	private RefusingParser() {
	}

	/**
	 * Wraps every method of a service.
	 * @param service the service as generated
	 * @param limits the wire check of each method, by its full name; a method without one is only parsed
	 * @return the service, with the same names and schema, whose requests never fail to parse with an exception
	 */
	static ServerServiceDefinition wrap(ServerServiceDefinition service,
			Function<String, @Nullable Function<byte[], @Nullable String>> limits) {
		ServiceDescriptor descriptor = service.getServiceDescriptor();
		ServiceDescriptor.Builder wrappedDescriptor = ServiceDescriptor.newBuilder(descriptor.getName())
			.setSchemaDescriptor(descriptor.getSchemaDescriptor());
		List<ServerMethodDefinition<Object, Object>> methods = new ArrayList<>();
		for (ServerMethodDefinition<?, ?> method : service.getMethods()) {
			ServerMethodDefinition<Object, Object> wrapped = wrap(method,
					limits.apply(method.getMethodDescriptor().getFullMethodName()));
			wrappedDescriptor.addMethod(wrapped.getMethodDescriptor());
			methods.add(wrapped);
		}
		ServerServiceDefinition.Builder builder = ServerServiceDefinition.builder(wrappedDescriptor.build());
		methods.forEach(builder::addMethod);
		return builder.build();
	}

	@SuppressWarnings("unchecked")
	private static ServerMethodDefinition<Object, Object> wrap(ServerMethodDefinition<?, ?> method,
			@Nullable Function<byte[], @Nullable String> check) {
		MethodDescriptor<Object, Object> descriptor = (MethodDescriptor<Object, Object>) method.getMethodDescriptor();
		MethodDescriptor<Object, Object> wrapped = descriptor
			.toBuilder(new Parser(descriptor.getRequestMarshaller(), descriptor.getFullMethodName(), check),
					descriptor.getResponseMarshaller())
			.build();
		return ServerMethodDefinition.create(wrapped,
				new RefusingHandler((ServerCallHandler<Object, Object>) method.getServerCallHandler()));
	}

	/**
	 * A request that was not handed to the service.
	 */
	record Refused(Status status) {
	}

	private static final class Parser implements MethodDescriptor.Marshaller<Object> {

		private final MethodDescriptor.Marshaller<Object> delegate;

		private final String method;

		private final @Nullable Function<byte[], @Nullable String> check;

		Parser(MethodDescriptor.Marshaller<Object> delegate, String method,
				@Nullable Function<byte[], @Nullable String> check) {
			this.delegate = delegate;
			this.method = method;
			this.check = check;
		}

		@Override
		public InputStream stream(Object value) {
			return this.delegate.stream(value);
		}

		@Override
		public Object parse(InputStream stream) {
			try {
				byte[] bytes = readFully(stream);
				if (this.check != null) {
					String refused = this.check.apply(bytes);
					if (refused != null) {
						return refuse(refused);
					}
				}
				return this.delegate.parse(new ByteArrayInputStream(bytes));
			}
			catch (IOException | RuntimeException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				return refuse("The request is not a valid message for " + this.method + ": " + cause.getMessage());
			}
		}

		/**
		 * Reads the message into one array of its size: grpc-java's streams know their length, so the bytes are
		 * copied once (InputStream.readAllBytes would copy them twice, through chunks).
		 */
		private static byte[] readFully(InputStream stream) throws IOException {
			int known = stream.available();
			if (known <= 0) {
				return stream.readAllBytes();
			}
			byte[] bytes = new byte[known];
			int read = stream.readNBytes(bytes, 0, known);
			int next = stream.read();
			if (read == known && next == -1) {
				return bytes;
			}
			// More (or less) than the stream said it held: keep what came, in order
			ByteArrayOutputStream all = new ByteArrayOutputStream(read + 8192);
			all.write(bytes, 0, read);
			if (next != -1) {
				all.write(next);
				stream.transferTo(all);
			}
			return all.toByteArray();
		}

		private Refused refuse(String description) {
			logger.debug("Refused a request to {}: {}", this.method, description);
			return new Refused(Status.INVALID_ARGUMENT.withDescription(GrpcErrors.cut(description)));
		}

	}

	private static final class RefusingHandler implements ServerCallHandler<Object, Object> {

		private final ServerCallHandler<Object, Object> delegate;

		RefusingHandler(ServerCallHandler<Object, Object> delegate) {
			this.delegate = delegate;
		}

		@Override
		public ServerCall.Listener<Object> startCall(ServerCall<Object, Object> call, Metadata headers) {
			ServerCall.Listener<Object> listener = this.delegate.startCall(call, headers);
			return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {

				private boolean refused;

				@Override
				public void onMessage(Object message) {
					if (this.refused) {
						return;
					}
					if (message instanceof Refused refusal) {
						this.refused = true;
						call.close(refusal.status(), new Metadata());
						return;
					}
					super.onMessage(message);
				}

				@Override
				public void onHalfClose() {
					if (!this.refused) {
						super.onHalfClose();
					}
				}

			};
		}

	}

}
