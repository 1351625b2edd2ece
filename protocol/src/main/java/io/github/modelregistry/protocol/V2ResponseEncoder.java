package io.github.modelregistry.protocol;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelMetadata;
import io.github.modelregistry.tensor.ElementSink;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes V2 responses with Jackson's streaming generator, straight from the output buffers.
 */
public class V2ResponseEncoder {

	private final JsonFactory json = new JsonFactory();

	/**
	 * Encodes {@code {model_name, model_version, id, outputs: [{name, datatype, shape, data}]}} with flat data.
	 */
	public byte[] inference(InferenceResult result, @Nullable String id) {
		return inference(result, id, V2InferenceRequest.BinaryOutputs.NONE).body();
	}

	/**
	 * Encodes an answer whose outputs are JSON {@code data} or, where {@code binary} says so, raw bytes after the
	 * JSON (the binary tensor data extension): such an output carries {@code parameters.binary_data_size} instead
	 * of {@code data}, and its bytes follow the JSON in the order of the outputs, little-endian. Each output's
	 * bytes are copied once, from the runtime's buffer into the answer.
	 */
	public Answer inference(InferenceResult result, @Nullable String id, V2InferenceRequest.BinaryOutputs binary) {
		ExactBytes out = new ExactBytes();
		int rawBytes = 0;
		try (JsonGenerator generator = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			generator.writeStartObject();
			generator.writeStringProperty("model_name", result.model());
			generator.writeStringProperty("model_version", Long.toString(result.version()));
			if (id != null) {
				generator.writeStringProperty("id", id);
			}
			generator.writeName("outputs");
			generator.writeStartArray();
			for (Tensor output : result.outputs()) {
				generator.writeStartObject();
				generator.writeStringProperty("name", output.name());
				generator.writeStringProperty("datatype", output.datatype().name());
				shape(generator, output.shape());
				if (binary.binary(output.name())) {
					int size = output.bytes().remaining();
					generator.writeName("parameters");
					generator.writeStartObject();
					generator.writeNumberProperty("binary_data_size", size);
					generator.writeEndObject();
					rawBytes += size;
				}
				else {
					generator.writeName("data");
					data(generator, output);
				}
				generator.writeEndObject();
			}
			generator.writeEndArray();
			generator.writeEndObject();
		}
		byte[] json = out.bytes();
		if (rawBytes == 0) {
			return new Answer(json, -1);
		}
		byte[] body = Arrays.copyOf(json, json.length + rawBytes);
		int offset = json.length;
		for (Tensor output : result.outputs()) {
			if (binary.binary(output.name())) {
				output.datatype().toLittleEndian(output.bytes(), body, offset);
				offset += output.bytes().remaining();
			}
		}
		return new Answer(body, json.length);
	}

	/**
	 * An encoded inference answer.
	 *
	 * @param body the bytes to send
	 * @param headerLength the length of its JSON when raw tensors follow it (then it is sent as
	 * {@code application/octet-stream} with {@code Inference-Header-Content-Length}); -1 when the body is all JSON
	 */
	public record Answer(byte[] body, int headerLength) {

	}

	/**
	 * Encodes {@code {name, versions, platform, inputs, outputs}}.
	 */
	public byte[] metadata(ModelMetadata metadata) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(256);
		try (JsonGenerator generator = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			generator.writeStartObject();
			generator.writeStringProperty("name", metadata.name());
			generator.writeName("versions");
			generator.writeStartArray();
			for (Long version : metadata.versions()) {
				generator.writeString(Long.toString(version));
			}
			generator.writeEndArray();
			generator.writeStringProperty("platform", metadata.platform());
			specs(generator, "inputs", metadata.inputs());
			specs(generator, "outputs", metadata.outputs());
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	/**
	 * Encodes the repository index: {@code [{"name", "version"?, "state", "reason"?}]}, the state {@code READY} for a
	 * model that serves, {@code UNAVAILABLE} otherwise, as the repository extension names them.
	 */
	public byte[] repositoryIndex(List<io.github.modelregistry.registry.RepositoryModel> models) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * models.size());
		try (JsonGenerator generator = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			generator.writeStartArray();
			for (io.github.modelregistry.registry.RepositoryModel model : models) {
				generator.writeStartObject();
				generator.writeStringProperty("name", model.name());
				if (model.version() != null) {
					generator.writeStringProperty("version", Long.toString(model.version()));
				}
				generator.writeStringProperty("state", model.ready() ? "READY" : "UNAVAILABLE");
				if (!model.ready()) {
					generator.writeStringProperty("reason", (model.state() != null)
							? "the model is " + model.state().name().toLowerCase(java.util.Locale.ROOT) : "not loaded");
				}
				generator.writeEndObject();
			}
			generator.writeEndArray();
		}
		return out.toByteArray();
	}

	/**
	 * Encodes {@code {"error": message}}.
	 */
	public byte[] error(String message) {
		ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
		try (JsonGenerator generator = this.json.createGenerator(ObjectWriteContext.empty(), out)) {
			generator.writeStartObject();
			generator.writeStringProperty("error", message);
			generator.writeEndObject();
		}
		return out.toByteArray();
	}

	private static void specs(JsonGenerator generator, String field, List<TensorSpec> specs) {
		generator.writeName(field);
		generator.writeStartArray();
		for (TensorSpec spec : specs) {
			generator.writeStartObject();
			generator.writeStringProperty("name", spec.name());
			generator.writeStringProperty("datatype", spec.datatype().name());
			shape(generator, spec.shape());
			generator.writeEndObject();
		}
		generator.writeEndArray();
	}

	private static void shape(JsonGenerator generator, long[] shape) {
		generator.writeName("shape");
		generator.writeArray(shape, 0, shape.length);
	}

	private static void data(JsonGenerator generator, Tensor tensor) {
		generator.writeStartArray();
		tensor.datatype().writeAll(tensor.bytes(), new Values(generator, tensor.name()));
		generator.writeEndArray();
	}

	/**
	 * Writes elements as JSON values, each in the form of its datatype: a float's shortest form ({@code 0.1}, not
	 * {@code 0.10000000149011612}), integers as integers, booleans as {@code true} and {@code false}, {@code BYTES}
	 * as strings when they are UTF-8 text (JSON has no other place for them: bytes that are not text are refused
	 * with a 400 that asks for the output as binary data, rather than sent altered).
	 */
	private record Values(JsonGenerator generator, String output) implements ElementSink {

		@Override
		public void writeBytes(ByteBuffer value) {
			CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT);
			try {
				this.generator.writeString(utf8.decode(value.duplicate()).toString());
			}
			catch (CharacterCodingException ex) {
				throw V2Exception.badRequest("Output '" + this.output + "' holds BYTES that are not UTF-8 text, which "
						+ "JSON cannot carry: ask for it as binary data (its parameters.binary_data, or the "
						+ "request's binary_data_output)");
			}
		}

		@Override
		public void writeFloat(float value) {
			this.generator.writeNumber(value);
		}

		@Override
		public void writeDouble(double value) {
			this.generator.writeNumber(value);
		}

		@Override
		public void writeLong(long value) {
			// The same digits Jackson writes for an int, short or byte
			this.generator.writeNumber(value);
		}

		@Override
		public void writeBoolean(boolean value) {
			this.generator.writeBoolean(value);
		}

	}

	/**
	 * Collects what the generator flushes. The generator buffers in its own recycled 8,000-byte buffer and flushes
	 * once when it closes, so a response that fits that buffer costs one array of exactly its size; a larger one
	 * continues in a growing stream.
	 */
	private static final class ExactBytes extends OutputStream {

		private byte @Nullable [] first;

		private @Nullable ByteArrayOutputStream rest;

		@Override
		public void write(int b) {
			write(new byte[] { (byte) b }, 0, 1);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			ByteArrayOutputStream rest = this.rest;
			if (rest != null) {
				rest.write(bytes, offset, length);
			}
			else if (this.first == null) {
				this.first = Arrays.copyOfRange(bytes, offset, offset + length);
			}
			else {
				rest = new ByteArrayOutputStream(this.first.length * 2 + length);
				rest.writeBytes(this.first);
				rest.write(bytes, offset, length);
				this.rest = rest;
			}
		}

		byte[] bytes() {
			return (this.rest != null) ? this.rest.toByteArray() : (this.first != null) ? this.first : new byte[0];
		}

	}

}
